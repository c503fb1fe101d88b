"""The FEC reader's fast path: the common, well-formed line read in one loop, without a call.

Most lines of a FEC are plain: 18 cells, amounts written 1234,56 (or 1234.56, or left empty),
a date already met, and, on a customer line, no control character and a piece number for a
debit. `read_lines` reads those inline, in local variables. Any other line is handed to the
careful path (`Entry.read_lines`) with the entry's state, so that its French message, its
line number and what it does to the entry are the careful path's own. Both read a file
alike (tests/imports/test_fec_fast_path.py).
"""

from __future__ import annotations

from app.imports.fec_entry import (
    CUSTOMER_PREFIX,
    READ_ACCOUNTS,
    VAT_COLLECTED_PREFIX,
    CustomerLine,
    Entry,
    new_tuple,
)
from app.parsing import CONTROL_CHARACTERS

_POINTS = (",", ".")  # 1234,56 or 1234.56: the decimal point three characters from the end


def read_lines(entry: Entry, lines: list[str], first: int) -> list[CustomerLine]:
    """The customer lines of the entries these lines complete (`first`: the first line's
    number), as `Entry.read_lines` gives them; the entry's state carried over."""
    out: list[CustomerLine] = []
    append = out.append
    separator, width, dates, has_control = (
        entry.separator, entry.width, entry.dates, CONTROL_CHARACTERS.search)
    journal, number, account, debit_at, credit_at = (
        entry.journal, entry.number, entry.account, entry.debit, entry.credit)
    piece_date, entry_date, piece_ref, aux, aux_name, account_name, label, letter = (
        entry.piece_date, entry.entry_date, entry.piece_ref, entry.aux, entry.aux_name,
        entry.account_name, entry.label, entry.letter)
    if not entry.debit_credit or width - 1 in (journal, number, debit_at, credit_at):
        # Montant and Sens, or a cell read as it is last (with the line's end): careful path
        return list(entry.read_lines(lines, first))
    customers, sale, vat = entry.customers, entry.sale, entry.vat
    journal_code, number_code = entry.journal_code, entry.number_code
    done = 0  # lines of `out` counted in report.lines_used
    for line, content in enumerate(lines, start=first):
        row = content.split(separator)
        if len(row) == width:
            if row[number] != number_code or row[journal] != journal_code:
                journal_code, number_code = row[journal], row[number]
                if customers:  # the entry they belong to is complete
                    if len(customers) == 1:  # most entries: one customer line
                        fields = customers[0]
                        append(new_tuple(CustomerLine, fields + (
                            sale, vat if sale and fields[6] > 0 else None)))
                    else:
                        tail = (sale, None)
                        out += [new_tuple(CustomerLine, fields + tail) for fields in customers]
                    customers = []
                sale, vat = False, 0
            code = row[account].strip()
            if not code.startswith(READ_ACCOUNTS):
                continue
            is_customer = code.startswith(CUSTOMER_PREFIX)
            if is_customer or not sale or code.startswith(VAT_COLLECTED_PREFIX):
                debit, credit = row[debit_at], row[credit_at]
                if debit == "0,00" or not debit:
                    debit = 0
                elif debit[-3:-2] in _POINTS and (digits := debit[:-3] + debit[-2:]).isdigit() \
                        and digits.isascii():
                    debit = int(digits)
                else:
                    debit = None
                if credit == "0,00" or not credit:
                    credit = 0
                elif credit[-3:-2] in _POINTS and (digits := credit[:-3] + credit[-2:]
                                                   ).isdigit() and digits.isascii():
                    credit = int(digits)
                else:
                    credit = None
                if debit is not None and credit is not None:
                    if not is_customer:
                        sale = True
                        if code.startswith(VAT_COLLECTED_PREFIX):
                            vat += credit - debit
                        continue
                    raw_date = row[piece_date].strip() or row[entry_date].strip()
                    day = dates.get(raw_date)
                    reference = row[piece_ref].strip()
                    if day is not None and (reference or debit <= credit) \
                            and not has_control(content):
                        client = row[aux].strip() or row[account].strip()
                        customers.append((
                            line, client, row[aux_name].strip() or row[account_name].strip()
                            or client, reference or row[number].strip(), day,
                            row[label].strip(), debit, credit, row[letter].strip()))
                        continue
            else:
                continue  # another sales line of a sale: it tells nothing more
        # not a plain line: the careful path, from the same state
        entry.customers, entry.sale, entry.vat = customers, sale, vat
        entry.journal_code, entry.number_code = journal_code, number_code
        entry.report.lines_used += len(out) - done
        out += entry.read_lines([content], line)  # its own lines counted there
        done = len(out)
        customers, sale, vat = entry.customers, entry.sale, entry.vat
        journal_code, number_code = entry.journal_code, entry.number_code
    entry.customers, entry.sale, entry.vat = customers, sale, vat
    entry.journal_code, entry.number_code = journal_code, number_code
    entry.report.lines_used += len(out) - done
    return out
