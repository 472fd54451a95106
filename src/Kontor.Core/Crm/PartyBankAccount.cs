namespace Kontor.Crm;

public enum PartyBankAccountSource { ConfirmedMatch, Manual }

/// <summary>
/// A bank account a party pays from. Kontor learns it when a person confirms that a statement line with this
/// counterparty account belongs to the party; the matcher then recognises the payer by it.
/// </summary>
public sealed class PartyBankAccount
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid PartyId { get; init; }
    /// <summary>Normalised (upper case, no spaces; a bare Polish NRB gets "PL"), see <see cref="Banking.Matching.AccountNumbers"/>.</summary>
    public string Iban { get; init; } = "";
    public PartyBankAccountSource Source { get; init; }
    public DateTimeOffset AddedAt { get; init; }
    public string AddedBy { get; init; } = "";
}
