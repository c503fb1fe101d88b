"""Letters and court forms: HTML + print CSS rendered by WeasyPrint, Cerfa filling with pypdf.

Nothing here touches the database: services build plain inputs (`app.documents.model`) and
receive bytes back.
"""
