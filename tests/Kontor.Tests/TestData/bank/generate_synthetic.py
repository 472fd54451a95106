#!/usr/bin/env python3
"""Writes the SYNTHETIC MT940 fixtures of the Polish ZBP ':86:' layout (no public sample exists).

The layout follows the banks' published descriptions: NNN~00 operation, ~20..~25(~26) title in sub-fields of
at most 27 characters, ~27/~28 or ~32/~33 counterparty name, ~29/~60..~63 address, ~30 sort code, ~31 account,
~38 IBAN. Names, accounts and NIPs are invented (IBANs and NIPs have valid check digits). Run to regenerate.
"""
SEP_WIDTH = 27

def chunks(text, first, last):
    parts = [text[i:i + SEP_WIDTH] for i in range(0, len(text), SEP_WIDTH)]
    assert len(parts) <= last - first + 1, text
    return [(first + i, p) for i, p in enumerate(parts)]

def details(code, sep, operation, title_parts, name=None, name_fields=(32, 33), iban=None, sort_code=None, account=None, address=()):
    fields = [(0, operation)]
    key = 20
    for part in title_parts:          # each element is one phrase; long phrases run on across sub-fields
        for k, p in chunks(part, key, 26):
            fields.append((k, p)); key = k + 1
    if name:
        fields += chunks(name, *name_fields)
    if sort_code: fields.append((30, sort_code))
    if account: fields.append((31, account))
    if iban: fields.append((38, iban))
    for i, a in enumerate(address): fields.append((60 + i, a))
    body = code + ''.join(f'{sep}{k:02d}{v}' for k, v in fields)
    # Wrap at 65 characters like the banks do.
    lines = [body[i:i + 65] for i in range(0, len(body), 65)]
    return ':86:' + '\r\n'.join(lines)

def write(name, encoding, lines):
    with open(name, 'w', encoding=encoding, newline='') as f:
        f.write('\r\n'.join(lines) + '\r\n')

ZUI = 'Zakład Usług Informatycznych „Żółć” Sp. z o.o.'
ZUI_IBAN = 'PL76105000861000009031234567'
LSS = 'Łódzka Spółdzielnia Śrubek'
LSS_IBAN = 'PL27114020040000300201355387'
PHG = 'Przedsiębiorstwo Handlowe Gęś-Źdźbło'
PHG_IBAN = 'PL65102055610000310200012345'

# PKO BP flavour: windows-1250, '~', :25: IBAN with a leading slash, name in ~27/~28.
write('pko-bp-zbp-cp1250.sta', 'cp1250', [
    ':20:PKO260302000001', ':25:/PL60102010260000042270201111', ':28C:00042/001', ':60F:C260302PLN12500,00',
    ':61:2603020302CN1230,00N110NONREF//260302123456789',
    details('110', '~', 'PRZELEW PRZYCHODZĄCY', ['Zapłata za fakturę FV/2026/02/0015'], ZUI, (27, 28), ZUI_IBAN, address=['ul. Świętokrzyska 12', '00-950 Warszawa', 'NIP 5261040828']),
    ':61:2603020302CN2460,00N110NONREF//260302123456790',
    details('110', '~', 'PRZELEW MPP', ['/VAT/460,00/IDC/5840212304/INV/FV/2026/02/0016/TXT/Opłata za usługi'], LSS, (27, 28), LSS_IBAN),
    ':61:2603030303CN3075,50N110NONREF//260303000000001',
    details('110', '~', 'PRZELEW PRZYCHODZĄCY', ['FV/2026/02/0011', 'FV/2026/02/0012', 'i FV/2026/02/0013'], PHG, (27, 28), PHG_IBAN),
    ':61:2603030303DN1845,00N120NONREF//260303000000002',
    details('120', '~', 'PRZELEW WYCHODZĄCY MPP', ['/VAT/345,00/IDC/5261040828/INV/ZUI/118/2026/TXT/dostawa sprzętu'], ZUI, (27, 28), ZUI_IBAN),
    ':61:2603030303DN12,50N775NONREF//260303000000003',
    details('775', '~', 'OPŁATA ZA PROWADZENIE RACHUNKU', ['Opłata miesięczna luty 2026']),
    ':62F:C260303PLN17408,00', ':64:C260303PLN17408,00', '-'])

# Pekao flavour: windows-1250, '^', two statements across New Year (entry date in the next year), a reversal (RC).
write('pekao-zbp-caret-cp1250.sta', 'cp1250', [
    ':20:PEKAO/261231/1', ':25:/PL04124010371111001122334455', ':28C:00250/001', ':60F:C261231PLN1000,00',
    ':61:2612310102CN500,00NTRFNONREF//PEK2612310001',
    details('020', '^', 'PRZELEW KRAJOWY', ['Faktura FV/2026/12/0099'], LSS, iban=LSS_IBAN, sort_code='11402004', account='0000300201355387', address=['NIP 7770001111']),
    ':61:2612311231RC200,00NTRFNONREF//PEK2612310002',
    details('020', '^', 'ZWROT PRZELEWU', ['Zwrot błędnego przelewu'], 'Jan Kowalski', iban='PL61109010140000071219812874'),
    ':62F:C261231PLN1300,00', '-',
    ':20:PEKAO/270102/1', ':25:/PL04124010371111001122334455', ':28C:00001/001', ':60F:C270102PLN1300,00',
    ':61:2701020102DN300,00NTRFNONREF//PEK2701020001',
    details('020', '^', 'PRZELEW WYCHODZĄCY', ['Czynsz styczeń 2027'], PHG, iban=PHG_IBAN),
    ':62F:C270102PLN1000,00', '-'])

# ING flavour: UTF-8, '~', :25: as the 26-digit NRB without the PL prefix, account in ~30/~31 and IBAN in ~38.
write('ing-zbp-utf8.sta', 'utf-8', [
    ':20:ING/2026/03/05', ':25:31105014451000002345678901', ':28C:00055', ':60F:C260304PLN0,00',
    ':61:2603050305CN999,99N153NONREF//ING0001',
    details('153', '~', 'Przelew przychodzący', ['Zapłata FV/2026/03/0001 dziękujemy'], ZUI, iban=ZUI_IBAN, sort_code='10500086', account='1000009031234567', address=['ul. Świętokrzyska 12', '00-950 Warszawa']),
    ':62F:C260305PLN999,99', '-'])

# Santander flavour: windows-1250, '?' separator with the ZBP meaning, debit opening balance, two invoices in two sub-fields.
write('santander-zbp-question-cp1250.sta', 'cp1250', [
    ':20:SAN260306', ':25:PL61109010140000071219812874', ':28C:12/1', ':60F:D260306PLN100,00',
    ':61:2603060306CN250,00N110NONREF//SAN0001',
    details('110', '?', 'PRZELEW', ['FV/2026/03/0002', 'FV/2026/03/0003'], LSS, iban=LSS_IBAN),
    ':62F:C260306PLN150,00', '-'])

# The PKO statement again with one amount changed: it no longer adds up (opening + movements ≠ closing).
write('pko-bp-unbalanced-cp1250.sta', 'cp1250', [
    ':20:PKO260304000001', ':25:/PL60102010260000042270201111', ':28C:00043/001', ':60F:C260304PLN17408,00',
    ':61:2603040304CN100,00N110NONREF//260304000000001',
    details('110', '~', 'PRZELEW PRZYCHODZĄCY', ['Zapłata za FV/2026/03/0004'], LSS, iban=LSS_IBAN),
    ':62F:C260304PLN17518,00', '-'])
