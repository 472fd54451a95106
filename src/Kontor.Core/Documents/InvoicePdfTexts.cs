using Kontor.Catalog;
using Kontor.Common;

namespace Kontor.Documents;

/// <summary>The printed wording of an invoice in one document language (kept apart from the UI's resources on purpose: the document language is chosen per download).</summary>
public sealed record InvoicePdfTexts(
    string Title,
    string NumberPrefix,
    string Unnumbered,
    string DraftWatermark,
    string DraftNotice,
    string IssueDate,
    string SaleDate,
    string PlaceOfIssue,
    string OnIssue,
    string Seller,
    string Buyer,
    string Position,
    string Description,
    string Quantity,
    string Unit,
    string NetPrice,
    string GrossPrice,
    string Discount,
    string NetValue,
    string VatRate,
    string VatAmount,
    string GrossValue,
    string VatSummary,
    string Total,
    string AmountDue,
    string InWords,
    string Payment,
    string PaymentMethod,
    string BankTransfer,
    string DueDate,
    string DaysFormat,
    string BankAccount,
    string Notes,
    string Page,
    string Continued,
    string SplitPayment,
    string ReverseCharge,
    string NoVat,
    // Correction invoices (docs/decisions.md §15).
    string CorrectionTitle = "",
    string CorrectsFormat = "{0} {1}",
    string CorrectionReason = "",
    string BeforeCorrection = "",
    string AfterCorrection = "",
    string DifferenceSummary = "",
    string AmountToRefund = "",
    // VAT in PLN on a foreign-currency invoice (art. 106e ust. 11): {0} date, {1} table, {2} rate, {3} base, {4} currency.
    string RateLineFormat = "{2} {3}/{4}",
    string VatInBaseCurrency = "VAT PLN",
    // Pro forma, advance and final invoices (docs/decisions.md §23, §24).
    string ProFormaTitle = "Pro forma",
    string ProFormaNotice = "",
    string AdvanceTitle = "",
    string FinalTitle = "",
    string OrderFormat = "{0}",
    string OrderValue = "",
    string AmountReceived = "",
    string ReceivedOn = "",
    string AdvancesDeducted = "",
    string AdvanceInvoice = "",
    string Date = "",
    string AdvanceSummary = "",
    string RemainingSummary = "",
    string ConsumerBuyer = "")
{
    public static InvoicePdfTexts For(DocumentLanguage language) => language switch
    {
        DocumentLanguage.En => English,
        DocumentLanguage.Ru => Russian,
        _ => Polish,
    };

    /// <summary>How a line's or summary row's rate is printed: "23%", or the code of a rate without VAT ("zw", "np", "oo").</summary>
    public string RateLabel(VatRateKind kind, decimal percent, string code, DocumentLanguage language) => kind switch
    {
        VatRateKind.Percentage => percent.ToString("0.##", language.NumberFormat()) + "%",
        VatRateKind.NoVat => NoVat,
        _ => code,
    };

    public string TaxIdLabel(TaxIdKind kind, string countryCode) => kind switch
    {
        TaxIdKind.Nip => "NIP",
        TaxIdKind.EuVat => this == Russian ? "НДС ЕС" : "VAT UE",
        TaxIdKind.Pesel => "PESEL",
        TaxIdKind.Regon => "REGON",
        TaxIdKind.Inn => this == Russian ? "ИНН" : "INN",
        // The seller's own id has no kind on the profile: a Polish company's is its NIP.
        TaxIdKind.None when countryCode == "PL" => "NIP",
        _ => this == Russian ? "ИНН/ID" : this == English ? "Tax ID" : "Nr identyfikacji",
    };

    // The statutory annotations stay in Polish on every language version (the Polish VAT act names these
    // exact words); the translation follows in brackets so a foreign reader understands them.
    private const string SplitPaymentPl = "mechanizm podzielonej płatności";
    private const string ReverseChargePl = "odwrotne obciążenie";

    public static readonly InvoicePdfTexts Polish = new(
        Title: "Faktura VAT", NumberPrefix: "nr", Unnumbered: "bez numeru",
        DraftWatermark: "SZKIC", DraftNotice: "Szkic — dokument roboczy, nie jest fakturą w rozumieniu ustawy o VAT",
        IssueDate: "Data wystawienia", SaleDate: "Data dostawy / wykonania usługi", PlaceOfIssue: "Miejsce wystawienia", OnIssue: "przy wystawieniu",
        Seller: "Sprzedawca", Buyer: "Nabywca",
        Position: "Lp.", Description: "Nazwa towaru lub usługi", Quantity: "Ilość", Unit: "J.m.",
        NetPrice: "Cena jedn. netto", GrossPrice: "Cena jedn. brutto", Discount: "Rabat",
        NetValue: "Wartość netto", VatRate: "Stawka VAT", VatAmount: "Kwota VAT", GrossValue: "Wartość brutto",
        VatSummary: "Podsumowanie według stawek VAT", Total: "Razem", AmountDue: "Do zapłaty", InWords: "Słownie",
        Payment: "Płatność", PaymentMethod: "Sposób płatności", BankTransfer: "przelew", DueDate: "Termin płatności", DaysFormat: "{0} dni",
        BankAccount: "Numer rachunku", Notes: "Uwagi", Page: "Strona", Continued: "ciąg dalszy",
        SplitPayment: SplitPaymentPl, ReverseCharge: ReverseChargePl, NoVat: "bez VAT",
        CorrectionTitle: "Faktura korygująca", CorrectsFormat: "Dotyczy faktury nr {0} z dnia {1}", CorrectionReason: "Przyczyna korekty",
        BeforeCorrection: "Przed korektą", AfterCorrection: "Po korekcie", DifferenceSummary: "Różnica według stawek VAT", AmountToRefund: "Do zwrotu",
        RateLineFormat: "Kurs NBP z dnia {0} (tabela {1}): {2} {3}/{4}", VatInBaseCurrency: "VAT w PLN",
        ProFormaTitle: "Faktura pro forma", ProFormaNotice: "Dokument nie jest fakturą VAT i nie stanowi podstawy do odliczenia podatku.",
        AdvanceTitle: "Faktura zaliczkowa", FinalTitle: "Faktura końcowa", OrderFormat: "Dotyczy zamówienia nr {0}", OrderValue: "Wartość zamówienia",
        AmountReceived: "Otrzymana zaliczka", ReceivedOn: "Data otrzymania zaliczki", AdvancesDeducted: "Rozliczone zaliczki",
        AdvanceInvoice: "Faktura zaliczkowa", Date: "Data", AdvanceSummary: "Zaliczka według stawek VAT", RemainingSummary: "Pozostało do zapłaty według stawek VAT",
        ConsumerBuyer: "Nabywca (konsument)");

    public static readonly InvoicePdfTexts English = new(
        Title: "VAT invoice", NumberPrefix: "No.", Unnumbered: "not numbered",
        DraftWatermark: "DRAFT", DraftNotice: "Draft — a working document, not a VAT invoice",
        IssueDate: "Issue date", SaleDate: "Date of supply", PlaceOfIssue: "Place of issue", OnIssue: "on issue",
        Seller: "Seller", Buyer: "Buyer",
        Position: "No.", Description: "Description of goods or services", Quantity: "Qty", Unit: "Unit",
        NetPrice: "Unit net price", GrossPrice: "Unit gross price", Discount: "Disc. %",
        NetValue: "Net amount", VatRate: "VAT rate", VatAmount: "VAT amount", GrossValue: "Gross amount",
        VatSummary: "Summary by VAT rate", Total: "Total", AmountDue: "Amount due", InWords: "In words",
        Payment: "Payment", PaymentMethod: "Payment method", BankTransfer: "bank transfer", DueDate: "Payment due", DaysFormat: "{0} days",
        BankAccount: "Bank account", Notes: "Notes", Page: "Page", Continued: "continued",
        SplitPayment: SplitPaymentPl + " (split payment mechanism)", ReverseCharge: ReverseChargePl + " (reverse charge)", NoVat: "no VAT",
        CorrectionTitle: "Correction invoice", CorrectsFormat: "Corrects invoice No. {0} of {1}", CorrectionReason: "Reason for the correction",
        BeforeCorrection: "Before the correction", AfterCorrection: "After the correction", DifferenceSummary: "Difference by VAT rate", AmountToRefund: "Amount to refund",
        RateLineFormat: "NBP rate of {0} (table {1}): {2} {3}/{4}", VatInBaseCurrency: "VAT in PLN",
        ProFormaTitle: "Pro forma invoice", ProFormaNotice: "This document is not a VAT invoice and does not entitle the buyer to deduct VAT.",
        AdvanceTitle: "Advance invoice", FinalTitle: "Final invoice", OrderFormat: "For order No. {0}", OrderValue: "Order value",
        AmountReceived: "Advance received", ReceivedOn: "Advance received on", AdvancesDeducted: "Advances deducted",
        AdvanceInvoice: "Advance invoice", Date: "Date", AdvanceSummary: "Advance by VAT rate", RemainingSummary: "Remaining to pay by VAT rate",
        ConsumerBuyer: "Buyer (consumer)");

    public static readonly InvoicePdfTexts Russian = new(
        Title: "Счёт-фактура", NumberPrefix: "№", Unnumbered: "без номера",
        DraftWatermark: "ЧЕРНОВИК", DraftNotice: "Черновик — рабочий документ, не является счётом-фактурой",
        IssueDate: "Дата выставления", SaleDate: "Дата поставки / оказания услуги", PlaceOfIssue: "Место выставления", OnIssue: "при выставлении",
        Seller: "Продавец", Buyer: "Покупатель",
        Position: "№", Description: "Наименование товара или услуги", Quantity: "Кол-во", Unit: "Ед.",
        NetPrice: "Цена без НДС", GrossPrice: "Цена с НДС", Discount: "Скидка",
        NetValue: "Стоимость без НДС", VatRate: "Ставка НДС", VatAmount: "Сумма НДС", GrossValue: "Стоимость с НДС",
        VatSummary: "Итоги по ставкам НДС", Total: "Итого", AmountDue: "К оплате", InWords: "Прописью",
        Payment: "Оплата", PaymentMethod: "Способ оплаты", BankTransfer: "банковский перевод", DueDate: "Срок оплаты", DaysFormat: "{0} дн.",
        BankAccount: "Банковский счёт", Notes: "Примечания", Page: "Страница", Continued: "продолжение",
        SplitPayment: SplitPaymentPl + " (механизм разделённого платежа)", ReverseCharge: ReverseChargePl + " (обратное начисление)", NoVat: "без НДС",
        CorrectionTitle: "Корректировочный счёт-фактура", CorrectsFormat: "К счёту-фактуре № {0} от {1}", CorrectionReason: "Причина корректировки",
        BeforeCorrection: "До корректировки", AfterCorrection: "После корректировки", DifferenceSummary: "Разница по ставкам НДС", AmountToRefund: "К возврату",
        RateLineFormat: "Курс НБП от {0} (таблица {1}): {2} {3}/{4}", VatInBaseCurrency: "НДС в PLN",
        ProFormaTitle: "Счёт-проформа", ProFormaNotice: "Документ не является счётом-фактурой и не даёт права на вычет НДС.",
        AdvanceTitle: "Счёт-фактура на аванс", FinalTitle: "Итоговый счёт-фактура", OrderFormat: "К заказу № {0}", OrderValue: "Стоимость заказа",
        AmountReceived: "Получен аванс", ReceivedOn: "Дата получения аванса", AdvancesDeducted: "Зачтённые авансы",
        AdvanceInvoice: "Счёт-фактура на аванс", Date: "Дата", AdvanceSummary: "Аванс по ставкам НДС", RemainingSummary: "Остаток к оплате по ставкам НДС",
        ConsumerBuyer: "Покупатель (потребитель)");
}
