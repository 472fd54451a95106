using System.Reflection;
using Xunit.Sdk;

namespace Kontor.Tests.Banking;

/// <summary>What a sample file must do: import with so many statements and lines, or be refused with a reason.</summary>
public abstract record SampleOutcome
{
    public sealed record Imports(int Statements, int Lines) : SampleOutcome;
    public sealed record Rejected(string Reason) : SampleOutcome;

    /// <summary>The file's statements do not add up (the parser-test snippets of the upstream libraries).</summary>
    public static Rejected Unbalanced => new("does not add up");
    /// <summary>A single field or line, not a statement.</summary>
    public static Rejected Fragment => new("neither an MT940 statement");
}

/// <summary>
/// The shared reference samples (../shared/standards/bank, beside the repository) and the synthetic Polish fixtures
/// (tests/Kontor.Tests/TestData/bank, written by generate_synthetic.py). The expectations are by hand: the reason is
/// what the file's name or content says (an MT942 report, a fragment, a truncated file, a snippet whose balances
/// do not add up — checked by summing the :61: amounts by hand).
/// </summary>
public static class BankSamples
{
    public static string SharedBankFolder
    {
        get
        {
            var root = typeof(BankSamples).Assembly.GetCustomAttributes<System.Reflection.AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value
                ?? throw new XunitException("The test assembly does not say where the repository is (AssemblyMetadata RepositoryRoot in Kontor.Tests.csproj).");
            var folder = Path.GetFullPath(Path.Combine(root, "..", "shared", "standards", "bank"));
            if (!Directory.Exists(folder))
                throw new XunitException($"The bank statement samples are missing: expected {folder} (../shared/standards/bank beside the repository, see its SOURCES.md).");
            return folder;
        }
    }

    public static string Mt940Folder => Path.Combine(SharedBankFolder, "mt940");
    public static string CamtFolder => Path.Combine(SharedBankFolder, "camt");
    public static string SyntheticFolder => Path.Combine(AppContext.BaseDirectory, "TestData", "bank");

    public static byte[] Synthetic(string name) => File.ReadAllBytes(Path.Combine(SyntheticFolder, name));

    public static IEnumerable<string> Mt940Files() =>
        Directory.EnumerateFiles(Mt940Folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith("LICENSE", StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.GetRelativePath(Mt940Folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    public static IEnumerable<string> CamtSampleFiles() =>
        Directory.EnumerateFiles(Path.Combine(CamtFolder, "samples"), "*.xml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static readonly IReadOnlyDictionary<string, SampleOutcome> Mt940 = new Dictionary<string, SampleOutcome>
    {
        ["ksdev-mbank/MT940_IPH.txt"] = new SampleOutcome.Rejected("no closing balance :62F:"), // the file is cut off after the last :86:
        ["ksdev-mbank/MT940_multiple_accounts.txt"] = new SampleOutcome.Imports(8, 56),
        ["wolph-mt940/ASNB/mt940.txt"] = new SampleOutcome.Imports(31, 8),
        ["wolph-mt940/ASNB/mt940_with_spaces_for_entry_date.txt"] = new SampleOutcome.Imports(31, 8),
        ["wolph-mt940/betterplace/amount_formats.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/betterplace/currency_in_25.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/betterplace/empty_86.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/betterplace/empty_entry_date.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/betterplace/empty_line.sta"] = new SampleOutcome.Rejected("no account identification :25:"),
        ["wolph-mt940/betterplace/missing_crlf_at_end.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/betterplace/sepa_mt9401.sta"] = new SampleOutcome.Imports(26, 97),
        ["wolph-mt940/betterplace/sepa_snippet.sta"] = SampleOutcome.Unbalanced,
        ["wolph-mt940/betterplace/sepa_snippet_broken.sta"] = SampleOutcome.Unbalanced,
        ["wolph-mt940/betterplace/with_binary_character.sta"] = new SampleOutcome.Imports(2, 4),
        ["wolph-mt940/citi/mt940.txt"] = new SampleOutcome.Imports(1, 5),
        ["wolph-mt940/cmxl/account_balance_credit.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/cmxl/account_balance_debit.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/cmxl/account_identification_iban.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/cmxl/account_identification_legacy.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/cmxl/available_balance.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/cmxl/closing_balance.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/cmxl/mt940.sta"] = new SampleOutcome.Rejected("'DEM' is not an ISO 4217 currency code"), // Deutsche Mark, withdrawn 2002
        ["wolph-mt940/cmxl/reference.sta"] = new SampleOutcome.Rejected("no account identification :25:"),
        ["wolph-mt940/cmxl/statement_details.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/cmxl/statement_line.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/cmxl/statement_number.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/jejik/abnamro.sta"] = SampleOutcome.Unbalanced,
        ["wolph-mt940/jejik/generic.sta"] = new SampleOutcome.Imports(2, 2),
        ["wolph-mt940/jejik/ing.sta"] = SampleOutcome.Unbalanced,
        ["wolph-mt940/jejik/knab.sta"] = SampleOutcome.Unbalanced,
        ["wolph-mt940/jejik/postfinance.sta"] = SampleOutcome.Unbalanced,
        ["wolph-mt940/jejik/rabobank-iban.sta"] = new SampleOutcome.Imports(2, 4),
        ["wolph-mt940/jejik/rabobank.sta"] = SampleOutcome.Unbalanced,
        ["wolph-mt940/jejik/sns.sta"] = new SampleOutcome.Imports(2, 2),
        ["wolph-mt940/jejik/triodos.sta"] = SampleOutcome.Unbalanced,
        ["wolph-mt940/mBank/mt940.sta"] = new SampleOutcome.Imports(1, 3),
        ["wolph-mt940/mBank/mt942.sta"] = new SampleOutcome.Rejected("MT942 interim transaction report"),
        ["wolph-mt940/mBank/with_newline_in_tnr.sta"] = SampleOutcome.Unbalanced,
        ["wolph-mt940/sberbank/171011_01234945.sta"] = new SampleOutcome.Imports(1, 3),
        ["wolph-mt940/self-provided/account_identification.sta"] = new SampleOutcome.Rejected("no opening balance :60F:"),
        ["wolph-mt940/self-provided/details_60-63.sta"] = SampleOutcome.Unbalanced,
        ["wolph-mt940/self-provided/empty_non_swift.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/self-provided/february_30.sta"] = new SampleOutcome.Imports(1, 1),
        ["wolph-mt940/self-provided/gv_codes.sta"] = new SampleOutcome.Rejected("no closing balance :62F:"),
        ["wolph-mt940/self-provided/invalid_statement.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/self-provided/long_statement_number.sta"] = new SampleOutcome.Imports(1, 0),
        ["wolph-mt940/self-provided/malformed_details.sta"] = SampleOutcome.Unbalanced,
        ["wolph-mt940/self-provided/mt942.sta"] = new SampleOutcome.Rejected("MT942 interim transaction report"),
        ["wolph-mt940/self-provided/multiline.sta"] = SampleOutcome.Unbalanced,
        ["wolph-mt940/self-provided/overly_long_details.sta"] = SampleOutcome.Unbalanced,
        ["wolph-mt940/self-provided/raiffeisen-cmi.sta"] = SampleOutcome.Unbalanced,
        ["wolph-mt940/self-provided/raphaelm.sta"] = new SampleOutcome.Rejected("'DEM' is not an ISO 4217 currency code"),
        ["wolph-mt940/self-provided/sparkassen.sta"] = SampleOutcome.Fragment,
        ["wolph-mt940/self-provided/transaction_details_wrapped.sta"] = new SampleOutcome.Imports(1, 1),
        ["wolph-mt940/self-provided/whitespace.sta"] = SampleOutcome.Unbalanced,
        ["wolph-mt940/self-provided/wrapped_timestamp.sta"] = new SampleOutcome.Imports(1, 1),
    };

    /// <summary>
    /// Samples that repeat the statements of another sample (same account, :20:, :28C: and dates), so importing both
    /// into one database refuses the second as already imported: the ASN file rewritten with blank entry dates, and
    /// three German parser tests built on the same STARTUMSE statement of 29.02–01.03.2016.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Mt940Repeats = new Dictionary<string, string>
    {
        ["wolph-mt940/ASNB/mt940_with_spaces_for_entry_date.txt"] = "wolph-mt940/ASNB/mt940.txt",
        ["wolph-mt940/self-provided/transaction_details_wrapped.sta"] = "wolph-mt940/self-provided/february_30.sta",
        ["wolph-mt940/self-provided/wrapped_timestamp.sta"] = "wolph-mt940/self-provided/february_30.sta",
    };

    /// <summary>
    /// camt samples: 052 and 054 are refused as not being statements; 053 ones are expected to import exactly when
    /// their own XML adds up (computed in the test from the XML, not by Kontor), otherwise refused for that reason.
    /// </summary>
    public static SampleOutcome.Rejected? CamtRefusal(string file) => file switch
    {
        _ when file.StartsWith("camt052", StringComparison.Ordinal) => new("account report (intraday), not a statement"),
        _ when file.StartsWith("camt054", StringComparison.Ordinal) => new("debit/credit notification, not a statement"),
        "camt053.v2.wrong.xml" => new("holds no <Stmt>"),
        _ => null,
    };

    /// <summary>The accounts (as :25: writes them, with the :60F: currency) of an MT940 file, read with a plain regex for registering them in tests.</summary>
    public static IReadOnlyList<(string Account, string Currency)> Mt940Accounts(string text)
    {
        var result = new List<(string, string)>();
        string? account = null;
        foreach (var raw in text.Replace("\r", "").Split('\n'))
        {
            if (raw.StartsWith(":25:", StringComparison.Ordinal)) account = raw[4..].Trim();
            else if ((raw.StartsWith(":60F:", StringComparison.Ordinal) || raw.StartsWith(":60M:", StringComparison.Ordinal)) && account is not null)
            {
                var currency = raw.Substring(12, 3);
                if (account.EndsWith(currency, StringComparison.Ordinal) && account.Length > 3 && !Kontor.Common.Iban.TryParse(account.TrimStart('/'), out _, out _))
                    account = account[..^3].TrimEnd('/');
                result.Add((account.TrimStart('/'), currency));
                account = null;
            }
        }
        return result.Distinct().ToList();
    }
}
