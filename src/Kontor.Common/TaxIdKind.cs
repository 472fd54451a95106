namespace Kontor.Common;

public enum TaxIdKind
{
    None,
    Nip,
    EuVat,
    Pesel,
    Regon,
    Inn,

    /// <summary>Any other identifier (non-EU, foreign national number); stored as typed.</summary>
    Other,
}
