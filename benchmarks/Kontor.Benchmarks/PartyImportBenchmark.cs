using System.Diagnostics;
using System.Text;
using Kontor.Crm.Import;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kontor.Benchmarks;

/// <summary>
/// CSV import of parties (docs/performance.md, "Party import"): generates N rows with 1 % planted bad rows (invalid
/// NIP checksum, missing name, bad e-mail, unknown country code, payment term out of range), imports them into a fresh
/// SQLite file through <see cref="PartyCsvImport"/> and prints rows/s, the bad rows reported (must equal the planted
/// ones) and the parties written (must equal the good rows).
/// </summary>
public static class PartyImportBenchmark
{
    private static readonly string[] Cities = ["Warszawa", "Kraków", "Łódź", "Wrocław", "Poznań", "Gdańsk", "Szczecin", "Bydgoszcz", "Lublin", "Białystok",
        "Katowice", "Gdynia", "Częstochowa", "Radom", "Toruń", "Sosnowiec", "Kielce", "Rzeszów", "Gliwice", "Zabrze", "Olsztyn", "Bielsko-Biała",
        "Bytom", "Zielona Góra", "Rybnik", "Ruda Śląska", "Opole", "Tychy", "Gorzów Wielkopolski", "Elbląg", "Płock", "Wałbrzych", "Włocławek",
        "Tarnów", "Chorzów", "Koszalin", "Kalisz", "Legnica", "Grudziądz", "Jaworzno"];
    private static readonly string[] Trades = ["Hurtownia", "Piekarnia", "Apteka", "Drukarnia", "Stolarnia", "Kwiaciarnia", "Biuro", "Serwis", "Sklep", "Warsztat",
        "Tartak", "Przychodnia", "Kancelaria", "Pracownia", "Zakład", "Agencja", "Studio", "Centrum", "Składnica", "Manufaktura"];
    private static readonly string[] Names = ["Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski",
        "Kozłowski", "Jankowski", "Mazur", "Wojciechowski", "Kwiatkowski", "Krawczyk", "Kaczmarek", "Piotrowski", "Grabowski", "Zając", "Pawłowski", "Michalski",
        "Król", "Wieczorek", "Jabłoński", "Wróbel", "Nowakowski", "Majewski", "Olszewski", "Stępień", "Malinowski", "Jaworski", "Adamczyk", "Dudek", "Nowicki"];
    private static readonly string[] Forms = ["Sp. z o.o.", "S.A.", "sp.k.", "sp.j.", "s.c.", ""];

    public static async Task<int> RunAsync(int rows, string? sqliteFile, bool keep)
    {
        var (csv, planted) = Generate(rows, seed: 42);
        var file = sqliteFile ?? Path.Combine(Path.GetTempPath(), $"kontor-import-bench-{Guid.NewGuid():N}.db");
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Sqlite",
                ["Database:SeedDemoData"] = "false",
                ["ConnectionStrings:Kontor"] = $"Data Source={file}",
            }).Build();
            var services = new ServiceCollection();
            services.AddLogging(b => b.AddConsole().SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None));
            services.AddKontor(configuration);
            await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
            await using (var scope = provider.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();

            var bytes = Encoding.UTF8.GetBytes(csv);
            var previewClock = Stopwatch.StartNew();
            await using (var scope = provider.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<PartyCsvImport>().PreviewAsync(bytes, new ImportOptions());
            previewClock.Stop();
            var clock = Stopwatch.StartNew();
            ImportReport report;
            await using (var scope = provider.CreateAsyncScope())
                report = await scope.ServiceProvider.GetRequiredService<PartyCsvImport>().ImportAsync(bytes, new ImportOptions());
            clock.Stop();
            int written;
            await using (var scope = provider.CreateAsyncScope())
                written = await scope.ServiceProvider.GetRequiredService<KontorDbContext>().Parties.CountAsync();

            var reported = report.Rows.Where(r => r.Status == ImportRowStatus.Error).Select(r => r.Row).ToHashSet();
            var exact = reported.SetEquals(planted);
            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"Party CSV import, SQLite ({file}), {Environment.ProcessorCount} cores");
            Console.WriteLine($"  rows in file            {report.TotalRows,10:N0}  ({bytes.Length / 1024.0 / 1024.0:N1} MB)");
            Console.WriteLine($"  bad rows planted        {planted.Count,10:N0}");
            Console.WriteLine($"  bad rows reported       {reported.Count,10:N0}  {(exact ? "(exactly the planted rows)" : "(MISMATCH with the planted rows)")}");
            Console.WriteLine($"  possible duplicates     {report.DuplicateRows,10:N0}  (warnings; imported)");
            Console.WriteLine($"  imported                {report.Imported,10:N0}  (parties in the database: {written:N0})");
            Console.WriteLine($"  preview (no writes)     {previewClock.Elapsed.TotalSeconds,10:N2} s  (parse, validate, duplicate check)");
            Console.WriteLine($"  total                   {seconds,10:N2} s  (import: the same checks, then the batched inserts)");
            Console.WriteLine($"  throughput              {report.TotalRows / seconds,10:N0} rows/s");
            var healthy = exact && written == rows - planted.Count && report.Imported == written && seconds < 30;
            Console.WriteLine(healthy ? "  OK: under 30 s, every bad row reported, every good row imported" : "  NOT OK");
            return healthy ? 0 : 1;
        }
        finally
        {
            if (!keep)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                foreach (var f in new[] { file, file + "-wal", file + "-shm" }) if (File.Exists(f)) File.Delete(f);
            }
        }
    }

    /// <summary>The CSV and the line numbers of the planted bad rows (every 100th row, five kinds of mistake in turn).</summary>
    public static (string Csv, HashSet<int> BadRows) Generate(int rows, int seed)
    {
        var random = new Random(seed);
        var output = new StringBuilder("Kind;Name;TaxIdKind;TaxId;Street;PostalCode;City;CountryCode;Email;Phone;PaymentTermDays\r\n");
        var bad = new HashSet<int>();
        var nipBody = 1_000_000;
        for (var i = 0; i < rows; i++)
        {
            var line = i + 2; // the header is line 1
            var nip = NextNip(ref nipBody);
            var name = $"{Trades[random.Next(Trades.Length)]} {Names[random.Next(Names.Length)]} {i:D5} {Forms[random.Next(Forms.Length)]}".Trim();
            var city = Cities[random.Next(Cities.Length)];
            var email = $"biuro{i}@firma{i % 997}.pl";
            var phone = $"+48 {500 + i % 400} {i / 1000 % 1000:D3} {i % 1000:D3}";
            var country = "PL";
            var term = (7 + i % 4 * 7).ToString();
            if (i % 100 == 99)
            {
                bad.Add(line);
                switch (i / 100 % 5)
                {
                    case 0: nip = nip[..9] + (char)('0' + (nip[9] - '0' + 1) % 10); break; // checksum broken
                    case 1: name = ""; break;
                    case 2: email = "biuro-at-firma.pl"; break;
                    case 3: country = "POL"; break;
                    case 4: term = "400"; break;
                }
            }
            output.Append("Company;").Append(name).Append(";Nip;").Append(nip).Append(";ul. Przemysłowa ").Append(i % 200 + 1).Append(";00-")
                .Append((i % 1000).ToString("D3")).Append(';').Append(city).Append(';').Append(country).Append(';').Append(email).Append(';').Append(phone)
                .Append(';').Append(term).Append("\r\n");
        }
        return (output.ToString(), bad);
    }

    private static string NextNip(ref int body)
    {
        int[] weights = [6, 5, 7, 2, 3, 4, 5, 6, 7];
        while (true)
        {
            var digits = "77" + (body++).ToString("D7");
            var sum = digits.Select((c, k) => (c - '0') * weights[k]).Sum();
            if (sum % 11 == 10) continue;
            return digits + sum % 11;
        }
    }
}
