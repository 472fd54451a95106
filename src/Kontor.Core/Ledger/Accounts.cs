namespace Kontor.Ledger;

public enum AccountType { Asset, Liability, Equity, Revenue, Expense, OffBalance }

/// <summary>An account of the chart; journal lines refer to it by code.</summary>
public sealed class Account
{
    public string Code { get; init; } = "";
    public string Name { get; set; } = "";
    public AccountType Type { get; init; }
    /// <summary>Receivables and payables keep a balance per party (a subledger).</summary>
    public bool TracksParties { get; init; }

    /// <summary>A trimmed Polish chart of accounts (wzorcowy plan kont, zespoły 0–8) to start from.</summary>
    public static IReadOnlyList<Account> PolishTemplate { get; } =
    [
        new() { Code = "010", Name = "Środki trwałe", Type = AccountType.Asset },
        new() { Code = "020", Name = "Wartości niematerialne i prawne", Type = AccountType.Asset },
        new() { Code = "070", Name = "Odpisy umorzeniowe", Type = AccountType.Asset },
        new() { Code = "100", Name = "Kasa", Type = AccountType.Asset },
        new() { Code = "130", Name = "Rachunek bankowy", Type = AccountType.Asset },
        new() { Code = "139", Name = "Środki pieniężne w drodze", Type = AccountType.Asset },
        // Money a payment gateway (Przelewy24, PayU, Stripe…) took from a shop's customer and has not paid out yet:
        // shop payments and refunds go here, the gateway's payout on the bank statement clears it (docs/commerce.md "Gateway clearing").
        new() { Code = "145", Name = "Środki pieniężne w drodze — operator płatności", Type = AccountType.Asset },
        new() { Code = "201", Name = "Rozrachunki z odbiorcami", Type = AccountType.Asset, TracksParties = true },
        new() { Code = "202", Name = "Rozrachunki z dostawcami", Type = AccountType.Liability, TracksParties = true },
        new() { Code = "221", Name = "VAT należny", Type = AccountType.Liability },
        new() { Code = "222", Name = "VAT naliczony", Type = AccountType.Asset },
        new() { Code = "229", Name = "Rozrachunki publicznoprawne — inne", Type = AccountType.Liability },
        new() { Code = "230", Name = "Rozrachunki z tytułu wynagrodzeń", Type = AccountType.Liability },
        new() { Code = "240", Name = "Pozostałe rozrachunki", Type = AccountType.Asset, TracksParties = true },
        new() { Code = "300", Name = "Rozliczenie zakupu", Type = AccountType.Asset },
        new() { Code = "330", Name = "Towary", Type = AccountType.Asset },
        new() { Code = "400", Name = "Amortyzacja", Type = AccountType.Expense },
        new() { Code = "401", Name = "Zużycie materiałów i energii", Type = AccountType.Expense },
        new() { Code = "402", Name = "Usługi obce", Type = AccountType.Expense },
        // Bank charges for keeping the account and transfers are a bought-in service (usługi obce), not a financial cost (751 is
        // for interest and loan fees): an analytic account of 402 keeps them apart (docs/decisions.md §"Bank fees").
        new() { Code = "402-1", Name = "Usługi obce — opłaty i prowizje bankowe", Type = AccountType.Expense },
        new() { Code = "403", Name = "Podatki i opłaty", Type = AccountType.Expense },
        new() { Code = "404", Name = "Wynagrodzenia", Type = AccountType.Expense },
        new() { Code = "409", Name = "Pozostałe koszty rodzajowe", Type = AccountType.Expense },
        new() { Code = "700", Name = "Przychody ze sprzedaży produktów i usług", Type = AccountType.Revenue },
        new() { Code = "730", Name = "Przychody ze sprzedaży towarów", Type = AccountType.Revenue },
        new() { Code = "731", Name = "Wartość sprzedanych towarów w cenie zakupu", Type = AccountType.Expense },
        new() { Code = "750", Name = "Przychody finansowe", Type = AccountType.Revenue },
        new() { Code = "751", Name = "Koszty finansowe", Type = AccountType.Expense },
        new() { Code = "760", Name = "Pozostałe przychody operacyjne", Type = AccountType.Revenue },
        new() { Code = "761", Name = "Pozostałe koszty operacyjne", Type = AccountType.Expense },
        new() { Code = "801", Name = "Kapitał zakładowy", Type = AccountType.Equity },
        new() { Code = "820", Name = "Rozliczenie wyniku finansowego", Type = AccountType.Equity },
        // Advances received on advance invoices (faktury zaliczkowe) until the final invoice recognises the revenue (docs/decisions.md §24).
        new() { Code = "845", Name = "Rozliczenia międzyokresowe przychodów — zaliczki otrzymane", Type = AccountType.Liability },
        new() { Code = "860", Name = "Wynik finansowy", Type = AccountType.Equity },
        // Technical counter-account of the opening balance (bilans otwarcia); at zero in the book currency once it is in.
        new() { Code = "BO", Name = "Bilans otwarcia — konto techniczne", Type = AccountType.OffBalance },
    ];
}

/// <summary>
/// Which accounts the automatic postings use. Configuration (section "Ledger"), so a company with its
/// own chart maps its codes without a code change.
/// </summary>
public sealed class PostingAccounts
{
    public string Receivables { get; set; } = "201";
    public string SalesRevenue { get; set; } = "700";
    public string VatOutput { get; set; } = "221";
    public string Bank { get; set; } = "130";
    /// <summary>Rozrachunki z dostawcami: purchase invoices and supplier payments, per party.</summary>
    public string Payables { get; set; } = "202";
    /// <summary>VAT naliczony: the deductible input VAT of purchase invoices.</summary>
    public string VatInput { get; set; } = "222";
    /// <summary>Where the year-end close moves the revenue and expense balances.</summary>
    public string FinancialResult { get; set; } = "860";
    /// <summary>Realised exchange gains (przychody finansowe) and losses (koszty finansowe), art. 15a CIT / art. 30 uor.</summary>
    public string ExchangeGains { get; set; } = "750";
    public string ExchangeLosses { get; set; } = "751";
    /// <summary>Counter-account of the opening balance entries.</summary>
    public string OpeningBalance { get; set; } = "BO";
    /// <summary>Bank fees and charges booked from money-out statement lines (Reconciliation.BookAsync) when no other account is chosen.</summary>
    public string BankFees { get; set; } = "402-1";
    /// <summary>Advances received (net of VAT) on advance invoices, moved to revenue by the final invoice.</summary>
    public string AdvancesReceived { get; set; } = "845";
    /// <summary>Towary: goods in stock at FIFO cost (docs/inventory.md, "Postings").</summary>
    public string Inventory { get; set; } = "330";
    /// <summary>Rozliczenie zakupu: the counter-account of a receipt (PZ); the purchase invoice settles it.</summary>
    public string PurchaseClearing { get; set; } = "300";
    /// <summary>Wartość sprzedanych towarów w cenie zakupu: the cost of goods issued (WZ), reduced by customer returns (ZW).</summary>
    public string CostOfGoodsSold { get; set; } = "731";
    /// <summary>Stock count surplus (PW): pozostałe przychody operacyjne.</summary>
    public string StockSurplus { get; set; } = "760";
    /// <summary>Stock count shortage (RW): pozostałe koszty operacyjne.</summary>
    public string StockShortage { get; set; } = "761";
    /// <summary>Środki pieniężne w drodze: payment-gateway money of web-shop orders until the payout reaches the bank (docs/commerce.md).</summary>
    public string GatewayClearing { get; set; } = "145";
}
