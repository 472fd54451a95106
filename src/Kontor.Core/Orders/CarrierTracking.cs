using Kontor.Common;
using Microsoft.Extensions.Options;

namespace Kontor.Orders;

/// <summary>
/// Carriers' public tracking pages, configured under <c>Orders:Carriers</c> as carrier name → URL template with
/// <c>{number}</c>. Configured entries add to the built-in ones or replace a built-in carrier's page (under any of its
/// spellings); an empty template turns a built-in carrier's link off.
/// </summary>
public sealed class CarrierOptions : ICheckedOptions
{
    public const string Placeholder = "{number}";

    public Dictionary<string, string> Carriers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The problems of the configured carriers (empty when they are usable): a template that would give customers broken links stops the start.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = Carriers.Where(c => c.Value.Length > 0 && !CarrierTracking.IsUsableTemplate(c.Value))
            .Select(c => $"Orders:Carriers:{c.Key} must be an absolute http(s) address containing {Placeholder}, e.g. https://tracking.example/?n={Placeholder}; it is '{c.Value}'.")
            .ToList();
        problems.AddRange(Carriers.Keys.Where(name => TextFolding.LettersAndDigits(name).Length == 0)
            .Select(name => $"Orders:Carriers:{name} has no letters or digits to recognise the carrier by."));
        // Carriers are matched on their folded letters and digits: two keys that fold alike would silently be one.
        problems.AddRange(Carriers.Keys.GroupBy(TextFolding.LettersAndDigits).Where(g => g.Key.Length > 0 && g.Count() > 1)
            .Select(g => $"Orders:Carriers has {string.Join(" and ", g.Select(n => $"'{n}'"))}, which name the same carrier; keep one."));
        return problems;
    }
}

/// <summary>
/// Turns a shipment's carrier and tracking number into the carrier's tracking page, so the salesperson can click it
/// on the order and the shop can give the customer a working link (Shopify only links carriers it knows itself; the
/// Polish and Russian ones are not among them). The carrier is free text typed by a person or sent by a shop, so it
/// is matched on its letters and digits alone ("Poczta Polska", "poczta-polska", "POCZTA POLSKA" are one carrier)
/// against each carrier's name and the other names people write for it.
/// </summary>
public sealed class CarrierTracking
{
    /// <summary>A carrier Kontor knows out of the box: the name offered in the shipping form, other spellings, the tracking page.</summary>
    public sealed record KnownCarrier(string Name, string TrackingUrl, params string[] OtherNames);

    /// <summary>
    /// The carriers of Kontor's first markets. The addresses are the carriers' own public tracking pages as of 2026;
    /// a carrier that moves its page is fixed in configuration without a release.
    /// </summary>
    public static readonly IReadOnlyList<KnownCarrier> BuiltIn =
    [
        new("InPost", "https://inpost.pl/sledzenie-przesylek?number={number}", "InPost Paczkomaty", "Paczkomaty InPost", "Paczkomat", "InPost Kurier"),
        // "DPD" is DPD Polska: Kontor's first market. A company shipping with another DPD re-points it in configuration.
        new("DPD", "https://tracktrace.dpd.com.pl/parcelDetails?typ=1&p1={number}", "DPD Polska", "DPD PL", "DPD Pickup"),
        // DHL's general page finds parcel and express shipments alike.
        new("DHL", "https://www.dhl.com/pl-pl/home/tracking.html?tracking-id={number}&submit=1", "DHL Parcel", "DHL Parcel Polska", "DHL Express"),
        new("GLS", "https://gls-group.com/PL/pl/sledzenie-paczek?match={number}", "GLS Poland"),
        new("Poczta Polska", "https://emonitoring.poczta-polska.pl/?numer={number}", "Pocztex", "Polish Post"),
        new("UPS", "https://www.ups.com/track?tracknum={number}"),
        new("FedEx", "https://www.fedex.com/fedextrack/?trknbr={number}"),
        new("СДЭК", "https://www.cdek.ru/ru/tracking?order_id={number}", "CDEK", "SDEK"),
        new("Почта России", "https://www.pochta.ru/tracking?barcode={number}", "Russian Post", "Pochta Rossii"),
        new("Boxberry", "https://boxberry.ru/tracking-page?id={number}"),
    ];

    private readonly Dictionary<string, string> templates = new(StringComparer.Ordinal);

    public CarrierTracking(IOptions<CarrierOptions> options)
    {
        var names = new List<string>();
        foreach (var carrier in BuiltIn)
        {
            names.Add(carrier.Name);
            Set(carrier, carrier.TrackingUrl);
        }
        foreach (var (name, template) in options.Value.Carriers)
        {
            // Configuring any spelling of a built-in carrier re-points (or, empty, turns off) all of its spellings.
            if (BuiltIn.FirstOrDefault(c => c.OtherNames.Prepend(c.Name).Any(n => Key(n) == Key(name))) is { } known) Set(known, template.Trim());
            else
            {
                templates[Key(name)] = template.Trim();
                names.Add(name);
            }
        }
        Names = names.Where(name => templates.GetValueOrDefault(Key(name)) is { Length: > 0 }).ToList();

        void Set(KnownCarrier carrier, string template)
        {
            foreach (var name in carrier.OtherNames.Prepend(carrier.Name)) templates[Key(name)] = template;
        }
    }

    /// <summary>The carriers with a tracking page, for the shipping form's suggestions.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The tracking page of the parcel, or null when the carrier is unknown or either value is missing.</summary>
    public string? UrlFor(string? carrier, string? trackingNumber)
    {
        if (string.IsNullOrWhiteSpace(carrier) || string.IsNullOrWhiteSpace(trackingNumber)) return null;
        if (templates.GetValueOrDefault(Key(carrier)) is not { Length: > 0 } template) return null;
        // People copy numbers as the label prints them ("620 123 456 789"); the carriers' search takes them without spaces.
        var number = string.Concat(trackingNumber.Where(c => !char.IsWhiteSpace(c)));
        return template.Replace(CarrierOptions.Placeholder, Uri.EscapeDataString(number), StringComparison.Ordinal);
    }

    internal static bool IsUsableTemplate(string template) =>
        template.Contains(CarrierOptions.Placeholder, StringComparison.Ordinal)
        && Uri.TryCreate(template.Replace(CarrierOptions.Placeholder, "0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && uri.Scheme is "https" or "http";

    private static string Key(string name) => TextFolding.LettersAndDigits(name);
}
