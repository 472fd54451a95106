using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Kontor.Tests.Vat;

/// <summary>
/// The Ministry of Finance's schema of JPK_V7M(3) (form 14090, TestData/jpk/JPK_V7M-3.xsd, stored unchanged) with the
/// three base schemas it imports replaced by STAND-INS written for these tests (TestData/jpk/standins, see
/// TestData/jpk/SOURCES.md): validation proves element order, required elements, cardinalities, namespaces and the main
/// schema's own types, not the base types' full restrictions (e.g. the list of tax office codes).
/// </summary>
public static class JpkSchema
{
    public const string DefinicjeTypy = "http://crd.gov.pl/xml/schematy/dziedzinowe/mf/2022/09/13/eD/DefinicjeTypy/";
    public const string KodyKrajow = "http://crd.gov.pl/xml/schematy/dziedzinowe/mf/2023/09/06/eD/KodyKrajow/";
    public const string KodyUrzedowSkarbowych = "http://crd.gov.pl/xml/schematy/dziedzinowe/mf/2022/01/05/eD/KodyUrzedowSkarbowych/";

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "TestData", "jpk");

    private static readonly Lazy<XmlSchemaSet> Schemas = new(Load);

    private static XmlSchemaSet Load()
    {
        var problems = new List<string>();
        // No resolver: the main schema's relative schemaLocations (KodyKrajow_v13-0E.xsd, …) are not followed; the
        // imported namespaces are the stand-ins added here under those namespaces.
        var set = new XmlSchemaSet { XmlResolver = null };
        set.ValidationEventHandler += (_, e) => problems.Add($"{e.Severity}: {e.Message}");
        set.Add(DefinicjeTypy, Path.Combine(Folder, "standins", "StrukturyDanych_v12-0E.standin.xsd"));
        set.Add(KodyKrajow, Path.Combine(Folder, "standins", "KodyKrajow_v13-0E.standin.xsd"));
        set.Add(KodyUrzedowSkarbowych, Path.Combine(Folder, "standins", "KodyUrzedowSkarbowych_v8-0E.standin.xsd"));
        set.Add("http://crd.gov.pl/wzor/2025/12/19/14090/", Path.Combine(Folder, "JPK_V7M-3.xsd"));
        set.Compile();
        var errors = problems.Where(p => p.StartsWith(nameof(XmlSeverityType.Error), StringComparison.Ordinal)).ToList();
        if (errors.Count > 0) throw new InvalidOperationException("The JPK schema set does not compile: " + string.Join(Environment.NewLine, errors));
        return set;
    }

    /// <summary>Every validation error and warning (a warning includes "no schema for this element"), empty when valid.</summary>
    public static IReadOnlyList<string> Validate(string xml)
    {
        var problems = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Schemas.Value };
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) => problems.Add($"{e.Severity} at {e.Exception?.LineNumber}:{e.Exception?.LinePosition}: {e.Message}");
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read()) { }
        return problems;
    }

    public static IReadOnlyList<string> Validate(XDocument document) => Validate(document.ToString(SaveOptions.DisableFormatting));
}
