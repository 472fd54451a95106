using Kontor.Common;

namespace Kontor.Banking;

/// <summary>Recognises a statement file by its content (XML root → camt, a ":20:" field → MT940) and reads it.</summary>
public static class StatementFiles
{
    public const int MaxFileBytes = 20 * 1024 * 1024;

    public static ParsedStatementFile Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) throw new ValidationException(Mt940Parser.FileField, "The file is empty.");
        if (bytes.Length > MaxFileBytes)
            throw new ValidationException(Mt940Parser.FileField, $"The file is larger than {MaxFileBytes / 1024 / 1024} MB.");
        if (LooksLikeXml(bytes)) return CamtParser.Parse(bytes);
        var (text, _) = StatementText.Decode(bytes);
        if (text.Contains(":20:", StringComparison.Ordinal)) return Mt940Parser.Parse(bytes);
        throw new ValidationException(Mt940Parser.FileField,
            "The file is neither an MT940 statement (no :20: field) nor a camt.053 XML document; a fragment of a statement cannot be imported.");
    }

    private static bool LooksLikeXml(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        foreach (var b in bytes)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') continue;
            return b == (byte)'<';
        }
        return false;
    }
}
