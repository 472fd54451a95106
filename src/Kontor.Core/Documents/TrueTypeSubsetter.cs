using System.Buffers.Binary;

namespace Kontor.Documents;

/// <summary>
/// Cuts a TrueType font down to the glyphs one document uses, keeping glyph ids as they are: every other glyph
/// becomes empty. SkiaSharp's native build writes a font into the PDF whole (it is compiled without a
/// subsetter), which would put ~1.4 MB of DejaVu into every invoice; with this it is a few tens of KB.
/// Advance widths (hmtx) and the character map stay complete, so text measures and extracts as with the full font.
/// </summary>
internal static class TrueTypeSubsetter
{
    // What a PDF viewer needs to draw the glyphs and Skia needs to describe the font. Shaping tables (GSUB, GPOS,
    // kern, MATH, GDEF) go: a PDF places every glyph itself, and the renderer does not shape.
    private static readonly string[] KeptTables = ["OS/2", "cmap", "cvt ", "fpgm", "gasp", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post", "prep"];

    private const ushort ArgsAreWords = 0x0001, HasScale = 0x0008, MoreComponents = 0x0020, HasXyScale = 0x0040, HasTwoByTwo = 0x0080;

    public static byte[] Subset(ReadOnlySpan<byte> font, IEnumerable<ushort> glyphs)
    {
        var tables = ReadTableDirectory(font);
        var head = Table(font, tables, "head");
        var loca = Table(font, tables, "loca");
        var glyf = Table(font, tables, "glyf");
        var glyphCount = BinaryPrimitives.ReadUInt16BigEndian(Table(font, tables, "maxp")[4..]);
        var longOffsets = BinaryPrimitives.ReadInt16BigEndian(head[50..]) == 1;

        // The glyphs asked for, .notdef, and the parts of composite glyphs (ą is a + ogonek).
        var kept = new bool[glyphCount];
        var pending = new Stack<int>(glyphs.Where(g => g < glyphCount).Select(g => (int)g).Append(0));
        while (pending.Count > 0)
        {
            var glyph = pending.Pop();
            if (kept[glyph]) continue;
            kept[glyph] = true;
            var data = glyf[Start(loca, longOffsets, glyph)..Start(loca, longOffsets, glyph + 1)];
            if (data.Length < 10 || BinaryPrimitives.ReadInt16BigEndian(data) >= 0) continue;
            var p = 10;
            ushort flags;
            do
            {
                flags = BinaryPrimitives.ReadUInt16BigEndian(data[p..]);
                var component = BinaryPrimitives.ReadUInt16BigEndian(data[(p + 2)..]);
                if (component < glyphCount) pending.Push(component);
                p += 4 + ((flags & ArgsAreWords) != 0 ? 4 : 2);
                if ((flags & HasScale) != 0) p += 2;
                else if ((flags & HasXyScale) != 0) p += 4;
                else if ((flags & HasTwoByTwo) != 0) p += 8;
            } while ((flags & MoreComponents) != 0);
        }

        var newGlyf = new MemoryStream();
        var newLoca = new byte[4 * (glyphCount + 1)];
        for (var g = 0; g < glyphCount; g++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(newLoca.AsSpan(4 * g), (uint)newGlyf.Length);
            if (!kept[g]) continue;
            newGlyf.Write(glyf[Start(loca, longOffsets, g)..Start(loca, longOffsets, g + 1)]);
            while (newGlyf.Length % 4 != 0) newGlyf.WriteByte(0);
        }
        BinaryPrimitives.WriteUInt32BigEndian(newLoca.AsSpan(4 * glyphCount), (uint)newGlyf.Length);

        var newHead = head.ToArray();
        BinaryPrimitives.WriteInt16BigEndian(newHead.AsSpan(50), 1); // loca is written with 32-bit offsets
        BinaryPrimitives.WriteUInt32BigEndian(newHead.AsSpan(8), 0); // checkSumAdjustment, set when the file is complete

        // post format 3: the same header without glyph names (60 KB of them in DejaVu).
        var newPost = Table(font, tables, "post")[..32].ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(newPost, 0x00030000);

        var output = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var tag in KeptTables)
        {
            if (!tables.ContainsKey(tag)) continue;
            output[tag] = tag switch
            {
                "glyf" => newGlyf.ToArray(),
                "loca" => newLoca,
                "head" => newHead,
                "post" => newPost,
                _ => Table(font, tables, tag).ToArray(),
            };
        }
        return Write(BinaryPrimitives.ReadUInt32BigEndian(font), output);
    }

    private static int Start(ReadOnlySpan<byte> loca, bool longOffsets, int glyph) => longOffsets
        ? (int)BinaryPrimitives.ReadUInt32BigEndian(loca[(4 * glyph)..])
        : 2 * BinaryPrimitives.ReadUInt16BigEndian(loca[(2 * glyph)..]);

    private static Dictionary<string, (int Offset, int Length)> ReadTableDirectory(ReadOnlySpan<byte> font)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(font[4..]);
        var tables = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var record = font.Slice(12 + 16 * i, 16);
            var tag = System.Text.Encoding.ASCII.GetString(record[..4]);
            tables[tag] = ((int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]), (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]));
        }
        return tables;
    }

    private static ReadOnlySpan<byte> Table(ReadOnlySpan<byte> font, Dictionary<string, (int Offset, int Length)> tables, string tag) =>
        tables.TryGetValue(tag, out var table)
            ? font.Slice(table.Offset, table.Length)
            : throw new InvalidDataException($"The font has no '{tag}' table.");

    /// <summary>An sfnt file: table directory sorted by tag, tables 4-byte aligned, checksums as the spec defines them.</summary>
    private static byte[] Write(uint sfntVersion, SortedDictionary<string, byte[]> tables)
    {
        var count = tables.Count;
        var directorySize = 12 + 16 * count;
        var size = directorySize + tables.Values.Sum(t => (t.Length + 3) & ~3);
        var file = new byte[size];
        var span = file.AsSpan();
        var entrySelector = (int)Math.Floor(Math.Log2(count));
        var searchRange = (1 << entrySelector) * 16;
        BinaryPrimitives.WriteUInt32BigEndian(span, sfntVersion);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)count);
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], (ushort)searchRange);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], (ushort)entrySelector);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)(count * 16 - searchRange));

        var offset = directorySize;
        var headOffset = -1;
        var i = 0;
        foreach (var (tag, data) in tables)
        {
            var record = span.Slice(12 + 16 * i++, 16);
            System.Text.Encoding.ASCII.GetBytes(tag, record);
            data.CopyTo(span[offset..]);
            BinaryPrimitives.WriteUInt32BigEndian(record[4..], Checksum(span.Slice(offset, (data.Length + 3) & ~3)));
            BinaryPrimitives.WriteUInt32BigEndian(record[8..], (uint)offset);
            BinaryPrimitives.WriteUInt32BigEndian(record[12..], (uint)data.Length);
            if (tag == "head") headOffset = offset;
            offset += (data.Length + 3) & ~3;
        }
        if (headOffset >= 0) BinaryPrimitives.WriteUInt32BigEndian(span[(headOffset + 8)..], unchecked(0xB1B0AFBA - Checksum(span)));
        return file;
    }

    private static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 4 <= data.Length; i += 4) sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(data[i..]));
        return sum;
    }
}
