namespace Kontor.Inventory;

/// <summary>
/// The kinds of stock documents, by their Polish names: PZ przyjęcie zewnętrzne (receipt from a supplier), WZ wydanie
/// zewnętrzne (issue to a customer), MM przesunięcie międzymagazynowe (transfer), PW przychód wewnętrzny (stock count
/// surplus), RW rozchód wewnętrzny (stock count shortage), ZW zwrot od odbiorcy (customer return at the issue cost).
/// </summary>
public enum StockDocumentKind { PZ, WZ, MM, PW, RW, ZW }

public enum StockDocumentStatus { Draft, Posted }

/// <summary>A stock document: a draft until posted; posted documents never change (a mistake is corrected by a new document).</summary>
public sealed class StockDocument
{
    /// <summary>Source type of the journal entries stock documents post.</summary>
    public const string SourceType = "stock-document";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public StockDocumentKind Kind { get; init; }
    public StockDocumentStatus Status { get; set; }
    public string? Number { get; set; }
    public Guid? SeriesId { get; set; }
    public DateOnly Date { get; set; }
    public Guid WarehouseId { get; set; }
    /// <summary>MM only: where the goods go.</summary>
    public Guid? TargetWarehouseId { get; set; }
    /// <summary>The supplier (PZ) or the customer (WZ, ZW).</summary>
    public Guid? PartyId { get; set; }
    public Guid? OrderId { get; set; }
    public Guid? InvoiceId { get; set; }
    public Guid? PurchaseInvoiceId { get; set; }
    /// <summary>Required for PW and RW (why the count differs) and kept for returns.</summary>
    public string? Reason { get; set; }
    public string? Notes { get; set; }
    /// <summary>Value of the goods at cost, book currency; known for issues only once posted.</summary>
    public decimal TotalValue { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset? PostedAt { get; set; }
    public string? PostedBy { get; set; }
    public Guid? JournalEntryId { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public List<StockDocumentLine> Lines { get; init; } = [];

    /// <summary>The numbering document type of each kind ("stock-pz" …), shown in Settings → Numbering.</summary>
    public static string DocumentTypeOf(StockDocumentKind kind) => "stock-" + kind.ToString().ToLowerInvariant();
    public static string DefaultPatternOf(StockDocumentKind kind) => kind + "/{yyyy}/{MM}/{n}";
    public static readonly IReadOnlyList<string> DocumentTypes = Enum.GetValues<StockDocumentKind>().Select(DocumentTypeOf).ToList();

    /// <summary>Receipts add layers; issues consume them; MM does both.</summary>
    public static bool Receives(StockDocumentKind kind) => kind is StockDocumentKind.PZ or StockDocumentKind.PW or StockDocumentKind.ZW;
}

public sealed class StockDocumentLine
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid DocumentId { get; init; }
    public int Position { get; init; }
    public Guid ProductId { get; init; }
    public decimal Quantity { get; init; }
    /// <summary>PZ/PW: the cost given; issues: value ÷ quantity once posted (display only, the value is what counts).</summary>
    public decimal? UnitCost { get; set; }
    /// <summary>Whole grosz at cost; for PZ given or quantity × unit cost, for issues the FIFO layers' value.</summary>
    public decimal Value { get; set; }
}
