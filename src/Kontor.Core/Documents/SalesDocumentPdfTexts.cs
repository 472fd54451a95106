using Kontor.Orders;

namespace Kontor.Documents;

/// <summary>
/// The printed wording of offers and orders in one document language; everything else (table, summary,
/// amount in words) is shared with the invoice's <see cref="InvoicePdfTexts"/>.
/// </summary>
public sealed record SalesDocumentPdfTexts(
    string OfferTitle,
    string OrderTitle,
    string OfferDate,
    string NotSentYet,
    string ValidUntil,
    string OrderDate,
    string Status,
    string OfferValue,
    string OrderValue,
    string DraftNotice,
    string PaymentTerms,
    string Accepted,
    string InProgress,
    string Shipped,
    string Delivered,
    string Cancelled,
    string Returned = "")
{
    public static SalesDocumentPdfTexts For(DocumentLanguage language) => language switch
    {
        DocumentLanguage.En => English,
        DocumentLanguage.Ru => Russian,
        _ => Polish,
    };

    public string Title(SalesDocumentKind kind) => kind == SalesDocumentKind.Offer ? OfferTitle : OrderTitle;

    public string Value(SalesDocumentKind kind) => kind == SalesDocumentKind.Offer ? OfferValue : OrderValue;

    public string StatusName(OrderStatus status) => status switch
    {
        OrderStatus.Accepted => Accepted,
        OrderStatus.InProgress => InProgress,
        OrderStatus.Shipped => Shipped,
        OrderStatus.Delivered => Delivered,
        OrderStatus.Returned => Returned,
        _ => Cancelled,
    };

    public static readonly SalesDocumentPdfTexts Polish = new(
        OfferTitle: "Oferta", OrderTitle: "Zamówienie", OfferDate: "Data oferty", NotSentYet: "przy wysłaniu", ValidUntil: "Ważna do",
        OrderDate: "Data zamówienia", Status: "Status", OfferValue: "Wartość oferty", OrderValue: "Wartość zamówienia",
        DraftNotice: "Szkic — dokument roboczy, oferta nie została jeszcze wysłana", PaymentTerms: "Termin płatności",
        Accepted: "przyjęte", InProgress: "w realizacji", Shipped: "wysłane", Delivered: "dostarczone", Cancelled: "anulowane", Returned: "zwrócone");

    public static readonly SalesDocumentPdfTexts English = new(
        OfferTitle: "Offer", OrderTitle: "Order", OfferDate: "Offer date", NotSentYet: "on sending", ValidUntil: "Valid until",
        OrderDate: "Order date", Status: "Status", OfferValue: "Offer value", OrderValue: "Order value",
        DraftNotice: "Draft — a working document, the offer has not been sent yet", PaymentTerms: "Payment terms",
        Accepted: "accepted", InProgress: "in progress", Shipped: "shipped", Delivered: "delivered", Cancelled: "cancelled", Returned: "returned");

    public static readonly SalesDocumentPdfTexts Russian = new(
        OfferTitle: "Коммерческое предложение", OrderTitle: "Заказ", OfferDate: "Дата предложения", NotSentYet: "при отправке", ValidUntil: "Действительно до",
        OrderDate: "Дата заказа", Status: "Статус", OfferValue: "Сумма предложения", OrderValue: "Сумма заказа",
        DraftNotice: "Черновик — рабочий документ, предложение ещё не отправлено", PaymentTerms: "Условия оплаты",
        Accepted: "принят", InProgress: "в работе", Shipped: "отгружен", Delivered: "доставлен", Cancelled: "отменён", Returned: "возвращён");
}
