using System.Diagnostics;
using System.Globalization;
using Kontor.Banking;
using Kontor.Banking.Matching;

namespace Kontor.Benchmarks;

/// <summary>
/// Matching benchmark (issue 4): a generated book of open receivables and a generated statement with realistic noise,
/// matched by the pure matcher in memory. It measures the matcher over loaded data: loading open items from the
/// database and posting the payments are NOT included. Every generated line records its true answer, so precision
/// (correct automatic matches / all automatic matches) and recall (correct automatic matches / lines that have a
/// true answer) are exact counts, not estimates.
/// </summary>
public static class MatchingBenchmark
{
    private static readonly decimal[] RoundAmounts = [49.00m, 99.00m, 123.00m, 199.00m, 246.00m, 299.00m, 369.00m, 499.00m, 615.00m, 999.00m, 1230.00m, 1500.00m, 2460.00m];

    private enum Kind { Exact, Typo, Several, AmountWithPayer, Partial, Overpayment, UnknownPayer, UnknownNumber }

    private static readonly (Kind Kind, double Weight)[] Mix =
    [
        (Kind.Exact, 0.58), (Kind.Typo, 0.10), (Kind.Several, 0.12), (Kind.AmountWithPayer, 0.08),
        (Kind.Partial, 0.02), (Kind.Overpayment, 0.01), (Kind.UnknownPayer, 0.05), (Kind.UnknownNumber, 0.04),
    ];

    private sealed record GeneratedLine(MatchableLine Line, Kind Kind, Guid? Party, Dictionary<Guid, decimal>? Truth);

    public static int Run(int lineCount, int openItemCount, int partyCount, int seed)
    {
        var random = new Random(seed);
        Console.WriteLine($"matching benchmark: {lineCount:N0} statement lines against {openItemCount:N0} open items of {partyCount:N0} customers (seed {seed})");
        Console.WriteLine("scope: the pure matcher over data already in memory (index build + matching); database loading and payment posting are excluded");
        var generation = Stopwatch.StartNew();
        var (parties, items, byParty) = GenerateBook(random, openItemCount, partyCount);
        var lines = GenerateLines(random, lineCount, parties, items, byParty);
        generation.Stop();
        Console.WriteLine($"generated in {generation.Elapsed.TotalSeconds:0.0} s; line mix: " +
                          string.Join(", ", lines.GroupBy(l => l.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count():N0}")));

        GC.Collect();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        var index = new MatchingIndex(items, parties, "5840212304");
        var built = total.Elapsed;
        int auto = 0, correct = 0, withAnswer = 0, suggested = 0;
        var wrongByKind = new Dictionary<Kind, int>();
        var missedByKind = new Dictionary<Kind, int>();
        var ticksByKind = new Dictionary<Kind, long>();
        foreach (var generated in lines)
        {
            var started = Stopwatch.GetTimestamp();
            var outcome = BankLineMatcher.Match(generated.Line, index);
            ticksByKind[generated.Kind] = ticksByKind.GetValueOrDefault(generated.Kind) + Stopwatch.GetTimestamp() - started;
            if (generated.Truth is not null) withAnswer++;
            if (!outcome.IsExact)
            {
                if (outcome.Suggestions.Count > 0) suggested++;
                if (generated.Truth is not null) missedByKind[generated.Kind] = missedByKind.GetValueOrDefault(generated.Kind) + 1;
                continue;
            }
            auto++;
            var best = outcome.Best!;
            var right = generated.Truth is not null && best.PartyId == generated.Party && best.Allocations.Count == generated.Truth.Count
                        && best.Allocations.All(a => generated.Truth.TryGetValue(a.InvoiceId, out var amount) && amount == a.Amount);
            if (right) correct++;
            else wrongByKind[generated.Kind] = wrongByKind.GetValueOrDefault(generated.Kind) + 1;
            // As the service does: what was posted is no longer open for the next lines.
            var paid = best.Allocations.ToDictionary(a => a.OpenItemId, a => a.Amount);
            foreach (var item in index.OfParty(best.PartyId).ToList())
                if (paid.TryGetValue(item.OpenItemId, out var amount)) item.OpenAmount -= amount;
        }
        total.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var matching = total.Elapsed - built;

        var precision = auto == 0 ? 0 : (double)correct / auto;
        var recall = withAnswer == 0 ? 0 : (double)correct / withAnswer;
        Console.WriteLine($"index build:   {built.TotalSeconds:0.00} s");
        Console.WriteLine($"matching:      {matching.TotalSeconds:0.00} s ({lines.Count / matching.TotalSeconds:N0} lines/s)");
        Console.WriteLine($"total:         {total.Elapsed.TotalSeconds:0.00} s wall clock (goal < 10 s), {cpu.TotalSeconds:0.00} s CPU; " +
                          $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores");
        Console.WriteLine("time per kind: " + string.Join(", ", ticksByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value * 1000.0 / Stopwatch.Frequency:N0} ms")));
        Console.WriteLine($"automatic:     {auto:N0} lines, correct {correct:N0}, wrong {auto - correct:N0}" +
                          (wrongByKind.Count > 0 ? " (" + string.Join(", ", wrongByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")) + ")" : ""));
        Console.WriteLine($"queue:         {suggested:N0} with suggestions, {lines.Count - auto - suggested:N0} without");
        Console.WriteLine($"with an answer:{withAnswer,8:N0}; not matched automatically: " + string.Join(", ", missedByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"precision:     {precision:P2} (goal ≥ 99.5 %)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recall:        {recall:P2} (goal ≥ 95 %)"));
        var ok = precision >= 0.995 && recall >= 0.95 && total.Elapsed.TotalSeconds < 10;
        Console.WriteLine(ok ? "result: goals met" : "result: GOALS NOT MET");
        return ok ? 0 : 1;
    }

    private static (List<MatchableParty> Parties, List<MatchableOpenItem> Items, List<int>[] ByParty) GenerateBook(Random random, int count, int partyCount)
    {
        var parties = new List<MatchableParty>(partyCount);
        var nips = new HashSet<string>();
        while (parties.Count < partyCount)
        {
            var nip = RandomNip(random);
            if (!nips.Add(nip)) continue;
            // 40 % of customers have paid before from an account Kontor has learned.
            IReadOnlyList<string> ibans = random.NextDouble() < 0.4 ? [RandomAccount(random)] : [];
            parties.Add(new MatchableParty(Guid.NewGuid(), $"Klient {parties.Count + 1}", nip, ibans));
        }
        var items = new List<MatchableOpenItem>(count);
        var byParty = Enumerable.Range(0, partyCount).Select(_ => new List<int>()).ToArray();
        // Two years of monthly series FV/yyyy/MM/n, as Kontor numbers invoices: dense sequences, so most typos are other real numbers.
        var perMonth = (count + 23) / 24;
        for (var i = 0; i < count; i++)
        {
            var month = i / perMonth;
            var number = $"FV/{2025 + month / 12}/{month % 12 + 1:00}/{i % perMonth + 1}";
            var p = random.Next(partyCount);
            var amount = random.NextDouble() < 0.3 ? RoundAmounts[random.Next(RoundAmounts.Length)] : RandomAmount(random);
            var currency = random.NextDouble() < 0.05 ? "EUR" : "PLN";
            var date = new DateOnly(2025 + month / 12, month % 12 + 1, 1 + random.Next(28));
            items.Add(new MatchableOpenItem(Guid.NewGuid(), Guid.NewGuid(), parties[p].PartyId, number, currency, amount, date.AddDays(14), date));
            byParty[p].Add(i);
        }
        return (parties, items, byParty);
    }

    private static List<GeneratedLine> GenerateLines(Random random, int count, List<MatchableParty> parties, List<MatchableOpenItem> items, List<int>[] byParty)
    {
        var used = new bool[items.Count];
        var partyIndex = parties.Select((p, i) => (p.PartyId, i)).ToDictionary(x => x.PartyId, x => x.i);
        var lines = new List<GeneratedLine>(count);
        int NextFree()
        {
            while (true)
            {
                var i = random.Next(items.Count);
                if (!used[i]) { used[i] = true; return i; }
            }
        }
        while (lines.Count < count)
        {
            var kind = Pick(random);
            switch (kind)
            {
                case Kind.Exact:
                case Kind.Typo:
                {
                    var item = items[NextFree()];
                    var written = Written(random, item.Number!, typo: kind == Kind.Typo);
                    lines.Add(Line(random, kind, item.OpenAmount, item.Currency, Title(random, [written]), parties[partyIndex[item.PartyId]], payerChance: 0.5,
                        new() { [item.InvoiceId] = item.OpenAmount }));
                    break;
                }
                case Kind.Several:
                {
                    var p = random.Next(parties.Count);
                    var k = 2 + random.Next(3);
                    var chosen = byParty[p].Where(i => !used[i]).GroupBy(i => items[i].Currency).OrderByDescending(g => g.Count()).FirstOrDefault()?.Take(k).ToList();
                    if (chosen is null || chosen.Count < 2) continue;
                    foreach (var i in chosen) used[i] = true;
                    var typoAt = random.NextDouble() < 0.15 ? random.Next(chosen.Count) : -1;
                    var written = chosen.Select((i, n) => Written(random, items[i].Number!, typo: n == typoAt)).ToList();
                    var truth = chosen.ToDictionary(i => items[i].InvoiceId, i => items[i].OpenAmount);
                    lines.Add(Line(random, kind, truth.Values.Sum(), items[chosen[0]].Currency, Title(random, written), parties[p], payerChance: 0.5, truth));
                    break;
                }
                case Kind.AmountWithPayer:
                {
                    var item = items[NextFree()];
                    var party = parties[partyIndex[item.PartyId]];
                    var title = random.NextDouble() < 0.5 ? "Zaplata za uslugi" : "przelew " + RandomWords(random);
                    lines.Add(Line(random, kind, item.OpenAmount, item.Currency, title, party, payerChance: 1.0, new() { [item.InvoiceId] = item.OpenAmount }));
                    break;
                }
                case Kind.Partial:
                {
                    var item = items[NextFree()];
                    var part = Math.Round(item.OpenAmount * (decimal)(0.2 + random.NextDouble() * 0.7), 2);
                    if (part <= 0 || part >= item.OpenAmount) continue;
                    lines.Add(Line(random, kind, part, item.Currency, Title(random, [Written(random, item.Number!, typo: false)]) + " czesciowo",
                        parties[partyIndex[item.PartyId]], payerChance: 0.5, new() { [item.InvoiceId] = part }));
                    break;
                }
                case Kind.Overpayment:
                {
                    var item = items[NextFree()];
                    var extra = Math.Round((decimal)(1 + random.NextDouble() * 100), 2);
                    lines.Add(Line(random, kind, item.OpenAmount + extra, item.Currency, Title(random, [Written(random, item.Number!, typo: false)]),
                        parties[partyIndex[item.PartyId]], payerChance: 0.5, new() { [item.InvoiceId] = item.OpenAmount }));
                    break;
                }
                case Kind.UnknownPayer:
                {
                    var amount = random.NextDouble() < 0.5 ? RoundAmounts[random.Next(RoundAmounts.Length)] : RandomAmount(random);
                    lines.Add(new GeneratedLine(new MatchableLine(amount, "PLN", BankLineDirection.Credit, false, "Przelew " + RandomWords(random),
                        "Jan Nieznany", RandomAccount(random), random.NextDouble() < 0.3 ? RandomNip(random) : null, null), kind, null, null));
                    break;
                }
                case Kind.UnknownNumber:
                {
                    // A number Kontor never issued (another seller's invoice, a paid one from an older year).
                    var number = $"FV/2023/{1 + random.Next(12):00}/{1 + random.Next(40000)}";
                    var amount = RandomAmount(random);
                    lines.Add(new GeneratedLine(new MatchableLine(amount, "PLN", BankLineDirection.Credit, false, Title(random, [number]),
                        "Firma Obca", RandomAccount(random), null, null), kind, null, null));
                    break;
                }
            }
        }
        return lines;
    }

    private static GeneratedLine Line(Random random, Kind kind, decimal amount, string currency, string title, MatchableParty party, double payerChance,
        Dictionary<Guid, decimal> truth)
    {
        string? nip = null, account = null;
        if (random.NextDouble() < payerChance)
        {
            if (party.Ibans.Count > 0 && random.NextDouble() < 0.5) account = party.Ibans[0];
            else if (random.NextDouble() < 0.5) nip = party.Nip;
            else title += $" NIP {party.Nip![..3]}-{party.Nip[3..6]}-{party.Nip[6..8]}-{party.Nip[8..]}";
        }
        account ??= RandomAccount(random);
        return new GeneratedLine(new MatchableLine(amount, currency, BankLineDirection.Credit, false, title, party.Name, account, nip, null), kind, party.PartyId, truth);
    }

    /// <summary>How payers write a number: case, prefix, separators, zero padding; optionally with one typo in a digit group.</summary>
    private static string Written(Random random, string number, bool typo)
    {
        var parts = number.Split('/'); // FV, yyyy, MM, n
        var groups = parts[1..].ToArray();
        if (random.NextDouble() < 0.3) groups[2] = groups[2].PadLeft(5, '0');
        if (random.NextDouble() < 0.2) groups[1] = groups[1].TrimStart('0');
        if (typo)
        {
            // Mostly in the sequence number, sometimes in the month or year.
            var g = random.NextDouble() < 0.8 ? 2 : random.Next(2);
            groups[g] = Typo(random, groups[g]);
        }
        var prefix = random.Next(6) switch { 0 => "FV/", 1 => "fv ", 2 => "F-", 3 => "FA ", 4 => "", _ => "Faktura nr FV " };
        var separator = random.Next(4) switch { 0 => "/", 1 => "-", 2 => " ", _ => "/" };
        return prefix + string.Join(separator, groups);
    }

    private static string Typo(Random random, string digits)
    {
        while (true)
        {
            var i = random.Next(digits.Length);
            var changed = random.Next(4) switch
            {
                0 when digits.Length > 1 => digits.Remove(i, 1),
                1 => digits[..i] + (char)('0' + (digits[i] - '0' + 1 + random.Next(9)) % 10) + digits[(i + 1)..],
                2 => digits.Insert(i, ((char)('0' + random.Next(10))).ToString()),
                3 when i + 1 < digits.Length && digits[i] != digits[i + 1] => digits[..i] + digits[i + 1] + digits[i] + digits[(i + 2)..],
                _ => null,
            };
            // A typo that only adds or drops a leading zero is no typo after normalisation.
            if (changed is not null && changed.TrimStart('0') != digits.TrimStart('0') && changed.TrimStart('0').Length > 0) return changed;
        }
    }

    private static string Title(Random random, List<string> numbers)
    {
        var joined = string.Join(random.Next(3) switch { 0 => ", ", 1 => " ", _ => "; " }, numbers);
        return random.Next(6) switch
        {
            0 => joined,
            1 => "Zaplata za " + joined,
            2 => joined + " z dnia 2025-" + (1 + random.Next(12)).ToString("00") + "-" + (1 + random.Next(28)).ToString("00"),
            3 => "Oplata " + joined + " zam. " + random.Next(1000, 9999) + "/2025",
            4 => "Faktura " + joined + " dziekujemy",
            _ => "Przelew " + joined + " " + RandomWords(random),
        };
    }

    private static readonly string[] Words = ["uslugi", "towar", "dostawa", "abonament", "serwis", "czynsz", "licencja", "marzec", "luty", "zaliczka"];
    private static string RandomWords(Random random) => Words[random.Next(Words.Length)] + " " + Words[random.Next(Words.Length)];

    private static decimal RandomAmount(Random random) => Math.Round((decimal)Math.Exp(Math.Log(20) + random.NextDouble() * (Math.Log(30000) - Math.Log(20))), 2);

    private static string RandomNip(Random random)
    {
        int[] weights = [6, 5, 7, 2, 3, 4, 5, 6, 7];
        while (true)
        {
            var digits = new int[9];
            for (var i = 0; i < 9; i++) digits[i] = random.Next(10);
            if (digits[0] == 0) continue;
            var check = digits.Select((d, i) => d * weights[i]).Sum() % 11;
            if (check == 10) continue;
            return string.Concat(digits) + check;
        }
    }

    private static string RandomAccount(Random random) => "PL" + string.Concat(Enumerable.Range(0, 26).Select(_ => (char)('0' + random.Next(10))));

    private static Kind Pick(Random random)
    {
        var x = random.NextDouble();
        foreach (var (kind, weight) in Mix)
        {
            if (x < weight) return kind;
            x -= weight;
        }
        return Kind.Exact;
    }
}
