"""The closed lists of the domain, with their French labels (one term per concept)."""

from __future__ import annotations

PAYMENT_KINDS = {"payment": "Paiement du débiteur", "credit_note": "Avoir (note de crédit)"}

DEBTOR_KINDS = {"company": "Entreprise", "consumer": "Particulier (consommateur)"}

PROCEEDINGS_KINDS = {
    "": "Aucune",
    "sauvegarde": "Sauvegarde",
    "redressement": "Redressement judiciaire",
    "liquidation": "Liquidation judiciaire",
}

STEP_KINDS = {
    "reminder": "Relance",
    "mise_en_demeure": "Mise en demeure envoyée",
    "ar_signed": "Avis de réception signé",
    "pli_non_reclame": "Pli avisé non réclamé",
    "acknowledgment": "Reconnaissance de dette",
    "payment_plan": "Échéance d'un plan de paiement (date et montant dus)",
    "dispute": "Contestation du débiteur",
    "dispute_closed": "Contestation levée",
    "mediation": "Médiation / conciliation",
    "instruction_measure": "Mesure d'instruction avant procès (suspend la prescription)",
    "impossibility": "Impossibilité d'agir (suspend la prescription)",
    "requete_filed": "Requête en injonction de payer déposée",
    "ordonnance": "Ordonnance d'injonction de payer",
    "rejection": "Rejet de la requête",
    "signification": "Signification de l'ordonnance",
    "opposition": "Opposition du débiteur",
    "formule_executoire": "Formule exécutoire",
    "enforcement": "Acte d'exécution",
    "petites_creances": "Procédure de petites créances",
    "claim_declaration": "Déclaration de créance",
    "collective_proceedings": "Ouverture d'une procédure collective",
    "call": "Appel téléphonique",
    "other": "Autre démarche",
}

# A phone call's outcome (Step.outcome of a "call"): neither a reminder level nor an
# interruption of prescription (a call leaves no writing, C. civ. 2240; LAW.md §1).
CALL_OUTCOMES = {
    "reached": "Joint",
    "no_answer": "Pas de réponse",
    "promise": "Promesse de paiement",
    "dispute": "Contestation",
    "other": "Autre",
}

STEP_CHANNELS = {
    "": "—",
    "phone": "Téléphone",
    "email": "E-mail",
    "letter": "Courrier simple",
    "lrar": "Lettre recommandée avec AR",
    "lre": "Lettre recommandée électronique",
    "commissaire": "Commissaire de justice",
}

EVIDENCE_KINDS = {
    "signed_quote": "Devis signé",
    "purchase_order": "Bon de commande",
    "contract": "Contrat",
    "terms_of_sale": "Conditions générales de vente",
    "delivery_note": "Bon de livraison / procès-verbal de réception",
    "invoice": "Facture",
    "reminder_copy": "Copie de relance",
    "mise_en_demeure_copy": "Copie de la mise en demeure",
    "posting_proof": "Preuve de dépôt du recommandé",
    "ar_signed": "Avis de réception signé",
    "ar_unclaimed": "Avis de réception : pli avisé non réclamé",
    "lre_proof": "Preuve de LRE",
    "email": "Échange d'e-mails",
    "acknowledgment": "Reconnaissance de dette",
    "other": "Autre",
}

# The kinds in the bordereau's "ordre d'usage" (LAW.md §5; dates order the events: exhibit_order).
EVIDENCE_ORDER = tuple(EVIDENCE_KINDS)

DOCUMENT_KINDS = {
    "relance_1": "Relance n° 1",
    "relance_2": "Relance n° 2",
    "relance_3": "Relance n° 3 (dernière avant mise en demeure)",
    "mise_en_demeure": "Mise en demeure",
    "requete_injonction": "Requête en injonction de payer",
    "declaration_creance": "Déclaration de créance",
    "cerfa_12948": "Cerfa 12948*06 (tribunal judiciaire)",
    "cerfa_12946": "Cerfa 12946*02 (tribunal de commerce)",
    "claim_file_pdf": "Dossier de créance (PDF)",
    "claim_file_zip": "Dossier de créance (ZIP)",
}

ROLES = {"owner": "Responsable", "member": "Collaborateur", "readonly": "Lecture seule"}
