#!/usr/bin/env python3
"""The UI strings in pl, en and ru: this table is the one source of SharedResource{,.pl,.ru}.resx.

Add or change a row here, then run `python3 src/Kontor.Web/Resources/generate_resx.py` from anywhere;
never edit the .resx files by hand. It refuses to write when a literal key used in a component
(L["..."]) has no row, so no language can fall behind. Keys built at run time (L[$"PartyKind.{kind}"])
are rows too: one per enum member. The UI tests check the generated files against the components.
"""
import html
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
COMPONENTS = HERE.parent / "Components"

# key: (en, pl, ru)
T = {
"Back to the invoice": ("Back to the invoice","Wróć do faktury","Вернуться к счёту"),
"Edit": ("Edit","Edytuj","Изменить"),
"Document language": ("Document language","Język dokumentu","Язык документа"),
"Download PDF": ("Download PDF","Pobierz PDF","Скачать PDF"),
"Edit draft invoice": ("Edit draft invoice","Edycja szkicu faktury","Редактирование черновика счёта"),
"Invoice {0} is issued and can no longer be changed; issue a correction invoice instead.": ("Invoice {0} is issued and can no longer be changed; issue a correction invoice instead.","Faktura {0} jest wystawiona i nie można jej już zmienić; wystaw fakturę korygującą.","Счёт {0} выставлен и больше не может быть изменён; выставьте корректировочный счёт."),
"Save changes": ("Save changes","Zapisz zmiany","Сохранить изменения"),
"The draft no longer exists.": ("The draft no longer exists.","Ten szkic już nie istnieje.","Этот черновик больше не существует."),
"Account": ("Account","Konto","Счёт"),
"Action": ("Action","Akcja","Действие"),
"Add line": ("Add line","Dodaj pozycję","Добавить строку"),
"Address": ("Address","Adres","Адрес"),
"All": ("All","Wszystkie","Все"),
"All invoices": ("All invoices","Wszystkie faktury","Все счета"),
"Amount": ("Amount","Kwota","Сумма"),
"An unexpected error has occurred.": ("An unexpected error has occurred.","Wystąpił nieoczekiwany błąd.","Произошла непредвиденная ошибка."),
"As of": ("As of","Na dzień","На дату"),
"Audit": ("Audit","Audyt","Аудит"),
"Available": ("Available","Dostępne","Доступно"),
"Average days late": ("Average days late","Średnie opóźnienie (dni)","Средняя просрочка (дней)"),
"Average invoice": ("Average invoice","Średnia faktura","Средний счёт"),
"Back to the dashboard": ("Back to the dashboard","Wróć do pulpitu","Вернуться на главную"),
"Balance": ("Balance","Saldo","Сальдо"),
"Balance Cr": ("Balance Cr","Saldo Ma","Сальдо Кт"),
"Balance Dr": ("Balance Dr","Saldo Wn","Сальдо Дт"),
"Balanced": ("Balanced","Zbilansowane","Сбалансировано"),
"Books": ("Books","Księgi","Учёт"),
"Buyer": ("Buyer","Nabywca","Покупатель"),
"CRM, invoicing and books in one place.": ("CRM, invoicing and books in one place.","CRM, faktury i księgi w jednym miejscu.","CRM, счета и учёт в одном месте."),
"Cancel": ("Cancel","Anuluj","Отмена"),
"Choose a customer to see the totals.": ("Choose a customer to see the totals.","Wybierz klienta, aby zobaczyć sumy.","Выберите клиента, чтобы увидеть итоги."),
"Choose a customer.": ("Choose a customer.","Wybierz klienta.","Выберите клиента."),
"City": ("City","Miejscowość","Город"),
"Close": ("Close","Zamknij","Закрыть"),
"Contact details and terms": ("Contact details and terms","Kontakt i warunki","Контакты и условия"),
"Contact person": ("Contact person","Osoba kontaktowa","Контактное лицо"),
"Contacts": ("Contacts","Osoby kontaktowe","Контакты"),
"Country": ("Country","Kraj","Страна"),
"Create a customer first.": ("Create a customer first.","Najpierw dodaj klienta.","Сначала создайте клиента."),
"Credit": ("Credit","Ma","Кредит"),
"Credit limit": ("Credit limit","Limit kredytowy","Кредитный лимит"),
"Currency": ("Currency","Waluta","Валюта"),
"Customer": ("Customer","Klient","Клиент"),
"Customer not found": ("Customer not found","Nie znaleziono klienta","Клиент не найден"),
"Customers": ("Customers","Klienci","Клиенты"),
"Dashboard": ("Dashboard","Pulpit","Главная"),
"Date": ("Date","Data","Дата"),
"Debit": ("Debit","Wn","Дебет"),
"Delete": ("Delete","Usuń","Удалить"),
"Delete draft": ("Delete draft","Usuń szkic","Удалить черновик"),
"Delete this draft?": ("Delete this draft?","Usunąć ten szkic?","Удалить этот черновик?"),
"Description": ("Description","Opis","Описание"),
"Details": ("Details","Szczegóły","Подробности"),
"Disc. %": ("Disc. %","Rabat %","Скидка %"),
"Draft": ("Draft","Szkic","Черновик"),
"Draft invoice": ("Draft invoice","Szkic faktury","Черновик счёта"),
"Drafts": ("Drafts","Szkice","Черновики"),
"Due date": ("Due date","Termin płatności","Срок оплаты"),
"E-mail": ("E-mail","E-mail","E-mail"),
"E-mail or password is wrong.": ("E-mail or password is wrong.","Nieprawidłowy e-mail lub hasło.","Неверный e-mail или пароль."),
"Empty: the day it is issued.": ("Empty: the day it is issued.","Puste: dzień wystawienia.","Пусто: день выставления."),
"Enter a number.": ("Enter a number.","Wpisz liczbę.","Введите число."),
"Enter a whole number of days.": ("Enter a whole number of days.","Wpisz całkowitą liczbę dni.","Введите целое число дней."),
"Enter an amount, e.g. 10000.00": ("Enter an amount, e.g. 10000.00","Wpisz kwotę, np. 10000,00","Введите сумму, например 10000,00"),
"Entity": ("Entity","Obiekt","Объект"),
"First name": ("First name","Imię","Имя"),
"Free text": ("Free text","Dowolny tekst","Произвольный текст"),
"From": ("From","Od","С"),
"Gross": ("Gross","Brutto","Брутто"),
"Gross price": ("Gross price","Cena brutto","Цена брутто"),
"Incomplete lines are not counted yet.": ("Incomplete lines are not counted yet.","Niepełne pozycje nie są jeszcze liczone.","Незаполненные строки пока не учитываются."),
"Invoice": ("Invoice","Faktura","Счёт-фактура"),
"Invoice not found": ("Invoice not found","Nie znaleziono faktury","Счёт не найден"),
"Invoice {0} issued.": ("Invoice {0} issued.","Wystawiono fakturę {0}.","Счёт {0} выставлен."),
"Invoices": ("Invoices","Faktury","Счета"),
"Issue date": ("Issue date","Data wystawienia","Дата выставления"),
"Issue invoice": ("Issue invoice","Wystaw fakturę","Выставить счёт"),
"Journal": ("Journal","Dziennik","Журнал"),
"Journal entries": ("Journal entries","Zapisy księgowe","Проводки"),
"Kind": ("Kind","Rodzaj","Вид"),
"Language": ("Language","Język","Язык"),
"Last invoice": ("Last invoice","Ostatnia faktura","Последний счёт"),
"Last name": ("Last name","Nazwisko","Фамилия"),
"Latest {0} changes, newest first; times in {1}.": ("Latest {0} changes, newest first; times in {1}.","Ostatnie {0} zmian, od najnowszych; czas: {1}.","Последние {0} изменений, сначала новые; время: {1}."),
"Lines": ("Lines","Pozycje","Строки"),
"Loading…": ("Loading…","Wczytywanie…","Загрузка…"),
"Log in": ("Log in","Zaloguj się","Войти"),
"Log out": ("Log out","Wyloguj","Выйти"),
"Main navigation": ("Main navigation","Nawigacja główna","Главное меню"),
"Menu": ("Menu","Menu","Меню"),
"Name": ("Name","Nazwa","Наименование"),
"Net": ("Net","Netto","Нетто"),
"Net price": ("Net price","Cena netto","Цена нетто"),
"New customer": ("New customer","Nowy klient","Новый клиент"),
"New invoice": ("New invoice","Nowa faktura","Новый счёт"),
"New product": ("New product","Nowy produkt","Новый товар"),
"No access": ("No access","Brak dostępu","Нет доступа"),
"No contact persons.": ("No contact persons.","Brak osób kontaktowych.","Нет контактных лиц."),
"No customers yet.": ("No customers yet.","Brak klientów.","Клиентов пока нет."),
"No entries.": ("No entries.","Brak zapisów.","Записей нет."),
"No invoices yet.": ("No invoices yet.","Brak faktur.","Счетов пока нет."),
"No products yet.": ("No products yet.","Brak produktów.","Товаров пока нет."),
"Not balanced": ("Not balanced","Niezbilansowane","Не сбалансировано"),
"Notes": ("Notes","Uwagi","Примечания"),
"Nothing matches the search.": ("Nothing matches the search.","Nic nie pasuje do wyszukiwania.","Ничего не найдено."),
"Nothing posted up to this date.": ("Nothing posted up to this date.","Brak zapisów do tego dnia.","На эту дату проводок нет."),
"Number": ("Number","Numer","Номер"),
"One document": ("One document","Jeden dokument","Один документ"),
"Open receivables": ("Open receivables","Otwarte należności","Открытая дебиторка"),
"Overdue": ("Overdue","Przeterminowane","Просрочено"),
"Overdue invoices": ("Overdue invoices","Faktury po terminie","Просроченные счета"),
"Page not found": ("Page not found","Nie znaleziono strony","Страница не найдена"),
"Paid on time": ("Paid on time","Zapłacone w terminie","Оплачено в срок"),
"Password": ("Password","Hasło","Пароль"),
"Payment registered.": ("Payment registered.","Zarejestrowano wpłatę.","Платёж зарегистрирован."),
"Payment registered; {0} stays unallocated as a credit.": ("Payment registered; {0} stays unallocated as a credit.","Zarejestrowano wpłatę; {0} pozostaje nierozliczone jako nadpłata.","Платёж зарегистрирован; {0} осталось нераспределённым как аванс."),
"Payment term": ("Payment term","Termin płatności","Срок оплаты"),
"Payment term (days)": ("Payment term (days)","Termin płatności (dni)","Срок оплаты (дней)"),
"Phone": ("Phone","Telefon","Телефон"),
"Please correct the marked fields.": ("Please correct the marked fields.","Popraw zaznaczone pola.","Исправьте отмеченные поля."),
"Position": ("Position","Stanowisko","Должность"),
"Postal code": ("Postal code","Kod pocztowy","Индекс"),
"Price group": ("Price group","Grupa cenowa","Ценовая группа"),
"Prices are": ("Prices are","Ceny","Цены"),
"Product": ("Product","Produkt","Товар"),
"Product {0} saved.": ("Product {0} saved.","Zapisano produkt {0}.","Товар {0} сохранён."),
"Products": ("Products","Produkty","Товары"),
"Qty": ("Qty","Ilość","Кол-во"),
"Recent invoices": ("Recent invoices","Ostatnie faktury","Последние счета"),
"Reference": ("Reference","Tytuł / referencja","Назначение платежа"),
"Register payment": ("Register payment","Zarejestruj wpłatę","Зарегистрировать платёж"),
"Reload": ("Reload","Odśwież","Обновить"),
"Remove line": ("Remove line","Usuń pozycję","Удалить строку"),
"SKU": ("SKU","Indeks","Артикул"),
"Sale date": ("Sale date","Data sprzedaży","Дата продажи"),
"Save customer": ("Save customer","Zapisz klienta","Сохранить клиента"),
"Save draft": ("Save draft","Zapisz szkic","Сохранить черновик"),
"Save product": ("Save product","Zapisz produkt","Сохранить товар"),
"Search": ("Search","Szukaj","Поиск"),
"Search by name or SKU": ("Search by name or SKU","Szukaj po nazwie lub indeksie","Поиск по названию или артикулу"),
"Search by name, tax id or e-mail": ("Search by name, tax id or e-mail","Szukaj po nazwie, NIP lub e-mailu","Поиск по названию, ИНН или e-mail"),
"Seller": ("Seller","Sprzedawca","Продавец"),
"Show all": ("Show all","Pokaż wszystko","Показать все"),
"Status": ("Status","Status","Статус"),
"Street": ("Street","Ulica","Улица"),
"Tax ID": ("Tax ID","NIP / nr podatkowy","Налоговый номер"),
"KPP": ("KPP","KPP","КПП"),
"Tax ID type": ("Tax ID type","Rodzaj identyfikatora","Тип налогового номера"),
"The payment settles the oldest open invoices first.": ("The payment settles the oldest open invoices first.","Wpłata rozlicza najpierw najstarsze otwarte faktury.","Платёж сначала погашает самые старые открытые счета."),
"Time": ("Time","Czas","Время"),
"To": ("To","Do","По"),
"Too many failed attempts; try again later.": ("Too many failed attempts; try again later.","Zbyt wiele nieudanych prób; spróbuj później.","Слишком много неудачных попыток; попробуйте позже."),
"Total": ("Total","Razem","Итого"),
"Total net": ("Total net","Razem netto","Итого нетто"),
"Total VAT": ("Total VAT","Razem VAT","Итого НДС"),
"Total gross": ("Total gross","Razem brutto","Итого брутто"),
"Totals": ("Totals","Podsumowanie","Итоги"),
"Price": ("Price","Cena","Цена"),
"Trial balance": ("Trial balance","Zestawienie obrotów i sald","Оборотно-сальдовая ведомость"),
"Unallocated payments": ("Unallocated payments","Nierozliczone wpłaty","Нераспределённые платежи"),
"Unit": ("Unit","J.m.","Ед."),
"User": ("User","Użytkownik","Пользователь"),
"VAT": ("VAT","VAT","НДС"),
"VAT rate": ("VAT rate","Stawka VAT","Ставка НДС"),
"Your role does not allow this page. Ask an administrator if you need it.": ("Your role does not allow this page. Ask an administrator if you need it.","Twoja rola nie daje dostępu do tej strony. Poproś administratora, jeśli jej potrzebujesz.","Ваша роль не даёт доступа к этой странице. Обратитесь к администратору."),
"e.g. bank statement line": ("e.g. bank statement line","np. pozycja wyciągu bankowego","например, строка выписки"),
"from catalogue": ("from catalogue","z cennika","из каталога"),
"on issue": ("on issue","przy wystawieniu","при выставлении"),
"optional": ("optional","opcjonalnie","необязательно"),
"{0} (customer's term)": ("{0} (customer's term)","{0} (termin klienta)","{0} (срок клиента)"),
"{0} days": ("{0} days","{0} dni","{0} дн."),
"{0} invoice(s)": ("{0} invoice(s)","faktur: {0}","счетов: {0}"),
"{0} issued": ("{0} issued","wystawionych: {0}","выставлено: {0}"),
"— choose a customer —": ("— choose a customer —","— wybierz klienta —","— выберите клиента —"),
"Exchange rates": ("Exchange rates","Kursy walut","Курсы валют"),
"CBR rate set on or before the date.": ("CBR rate set on or before the date.","Kurs CBR ustalony na ten dzień lub ostatni wcześniejszy.","Курс ЦБ РФ, установленный на эту дату или последний до неё."),
"File": ("File","Plik","Файл"),
"Find rate": ("Find rate","Znajdź kurs","Найти курс"),
"Import": ("Import","Importuj","Импортировать"),
"Import a rates file": ("Import a rates file","Import pliku z kursami","Импорт файла курсов"),
"Imported {0} rate(s), {1} already stored unchanged; tables: {2}.": ("Imported {0} rate(s), {1} already stored unchanged; tables: {2}.","Zaimportowano kursów: {0}, bez zmian (już zapisane): {1}; tabele: {2}.","Импортировано курсов: {0}, без изменений (уже сохранены): {1}; таблицы: {2}."),
"Latest rates": ("Latest rates","Najnowsze kursy","Последние курсы"),
"NBP table A average rate of the last business day before the tax point (art. 31a of the VAT Act).": ("NBP table A average rate of the last business day before the tax point (art. 31a of the VAT Act).","Kurs średni NBP z tabeli A z ostatniego dnia roboczego poprzedzającego powstanie obowiązku podatkowego (art. 31a ustawy o VAT).","Средний курс НБП (таблица A) последнего рабочего дня перед моментом возникновения налоговой обязанности (ст. 31a закона Польши об НДС)."),
"NBP: table A as JSON from api.nbp.pl; CBR: XML_daily.asp (windows-1251). Importing the same file again changes nothing.": ("NBP: table A as JSON from api.nbp.pl; CBR: XML_daily.asp (windows-1251). Importing the same file again changes nothing.","NBP: tabela A w JSON z api.nbp.pl; CBR: XML_daily.asp (windows-1251). Ponowny import tego samego pliku niczego nie zmienia.","НБП: таблица A в JSON с api.nbp.pl; ЦБ РФ: XML_daily.asp (windows-1251). Повторный импорт того же файла ничего не меняет."),
"No rates imported yet.": ("No rates imported yet.","Nie zaimportowano jeszcze kursów.","Курсы ещё не импортированы."),
"Rate": ("Rate","Kurs","Курс"),
"Rate for a document": ("Rate for a document","Kurs dla dokumentu","Курс для документа"),
"Source": ("Source","Źródło","Источник"),
"Table": ("Table","Tabela","Таблица"),
"Tax point": ("Tax point","Obowiązek podatkowy","Налоговая обязанность"),
"The file is larger than {0} MB.": ("The file is larger than {0} MB.","Plik jest większy niż {0} MB.","Файл больше {0} МБ."),
"The file was not imported:": ("The file was not imported:","Plik nie został zaimportowany:","Файл не импортирован:"),
"Units": ("Units","Jednostek","Единиц"),
"see the problems below.": ("see the problems below.","zobacz problemy poniżej.","см. ошибки ниже."),
"table {0} of {1}": ("table {0} of {1}","tabela {0} z {1}","таблица {0} от {1}"),
"PartyKind.Company": ("Company","Firma","Организация"),
"PartyKind.Person": ("Person","Osoba fizyczna","Физ. лицо"),
"TaxIdKind.None": ("None","Brak","Нет"),
"TaxIdKind.Nip": ("NIP","NIP","NIP (Польша)"),
"TaxIdKind.EuVat": ("EU VAT","VAT UE","НДС ЕС"),
"TaxIdKind.Pesel": ("PESEL","PESEL","PESEL"),
"TaxIdKind.Regon": ("REGON","REGON","REGON"),
"TaxIdKind.Inn": ("INN","INN","ИНН"),
"TaxIdKind.Other": ("Other","Inny","Другой"),
"ProductKind.Goods": ("Goods","Towar","Товар"),
"ProductKind.Service": ("Service","Usługa","Услуга"),
"PricingMode.Net": ("Net","Netto","Нетто"),
"PricingMode.Gross": ("Gross","Brutto","Брутто"),
"InvoiceStatus.Draft": ("Draft","Szkic","Черновик"),
"InvoiceStatus.Issued": ("Issued","Wystawiona","Выставлен"),
}


def used_keys():
    pattern = re.compile(r'L\["((?:[^"\\]|\\.)*)"')
    keys = set()
    for path in COMPONENTS.rglob("*.razor"):
        keys.update(pattern.findall(path.read_text(encoding="utf-8")))
    return keys


def main():
    empty = [k for k, values in T.items() if any(not v.strip() for v in values)]
    missing = sorted(used_keys() - set(T))
    if missing or empty:
        print("MISSING rows:", missing, "EMPTY translations:", empty, file=sys.stderr)
        sys.exit(1)
    head = """<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
"""
    for index, suffix in [(0, ""), (1, ".pl"), (2, ".ru")]:
        out = [head]
        for key in sorted(T):
            out.append(f'  <data name="{html.escape(key, quote=True)}" xml:space="preserve"><value>{html.escape(T[key][index], quote=False)}</value></data>\n')
        out.append("</root>\n")
        (HERE / f"SharedResource{suffix}.resx").write_text("".join(out), encoding="utf-8")
    unused = sorted(set(T) - used_keys() - {k for k in T if "." in k.split(" ")[0] and k[0].isupper() and " " not in k})
    print("ok", len(T), "keys" + (f"; rows no component uses literally: {unused}" if unused else ""))


if __name__ == "__main__":
    main()
