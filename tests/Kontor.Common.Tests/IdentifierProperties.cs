using FsCheck.Xunit;

namespace Kontor.Common.Tests;

/// <summary>
/// Every check-digit scheme here detects any single-digit substitution: the weights are non-zero
/// and coprime with the modulus (11, 10 or 97), so a changed digit always changes the remainder.
/// </summary>
public class IdentifierProperties
{
    private static readonly string[] ValidNips = ["5260250274", "1234563218", "7740001454", "5213017228"];

    private static readonly string[] ValidPesels = ["44051401359", "02070803628", "85123112346", "01222800122"];

    private static readonly string[] ValidIbans = ["PL61109010140000071219812874", "DE89370400440532013000"];

    private static string Substitute(string valid, int position, int delta)
    {
        var chars = valid.ToCharArray();
        chars[position] = (char)('0' + (chars[position] - '0' + delta) % 10);
        return new string(chars);
    }

    [Property]
    public bool Nip_detects_any_single_digit_change(byte sample, byte position, byte delta)
    {
        var valid = ValidNips[sample % ValidNips.Length];
        var changed = Substitute(valid, position % 10, delta % 9 + 1);
        return !Nip.TryParse(changed, out _, out _);
    }

    [Property]
    public bool Pesel_detects_any_single_digit_change(byte sample, byte position, byte delta)
    {
        var valid = ValidPesels[sample % ValidPesels.Length];
        var changed = Substitute(valid, position % 11, delta % 9 + 1);
        return !Pesel.TryParse(changed, out _, out _);
    }

    [Property]
    public bool Iban_detects_any_single_digit_change(byte sample, byte position, byte delta)
    {
        var valid = ValidIbans[sample % ValidIbans.Length];
        var changed = Substitute(valid, 2 + position % (valid.Length - 2), delta % 9 + 1);
        return !Iban.TryParse(changed, out _, out _);
    }

    [Property]
    public bool Pesel_round_trips_any_birth_date_between_1800_and_2299(int dayOffset, ushort serial)
    {
        var first = new DateOnly(1800, 1, 1).DayNumber;
        var last = new DateOnly(2299, 12, 31).DayNumber;
        var birthDate = DateOnly.FromDayNumber(first + (int)((uint)dayOffset % (uint)(last - first + 1)));

        var pesel = EncodePesel(birthDate, serial % 10000);

        return Pesel.TryParse(pesel, out var parsed, out _)
            && parsed.BirthDate == birthDate
            && parsed.IsFemale == (serial % 10000 % 2 == 0);
    }

    // Independent encoder written from the PESEL specification.
    private static string EncodePesel(DateOnly date, int serial)
    {
        var monthOffset = (date.Year / 100) switch
        {
            18 => 80,
            19 => 0,
            20 => 20,
            21 => 40,
            22 => 60,
            _ => throw new ArgumentOutOfRangeException(nameof(date)),
        };
        var body = $"{date.Year % 100:D2}{date.Month + monthOffset:D2}{date.Day:D2}{serial:D4}";
        int[] weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
        var sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
        return body + (10 - sum % 10) % 10;
    }
}
