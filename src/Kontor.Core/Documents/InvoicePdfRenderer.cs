using System.Globalization;
using Kontor.Sales;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Kontor.Documents;

/// <summary>
/// Lays an <see cref="InvoicePrint"/> out on A4 pages: heading with number and dates, seller and buyer,
/// the lines (flowing onto further pages with the table header repeated), the summary per VAT rate,
/// payment terms, the amount due in figures and words, statutory annotations, notes and "page/pages".
/// </summary>
public static class InvoicePdfRenderer
{
    public static byte[] Render(InvoicePrint invoice, DocumentLanguage language)
    {
        PdfSharpSetup.EnsureInitialized();
        var layout = new Layout(invoice, language);
        return layout.Render();
    }

    /// <summary>An account number in groups of four, as an IBAN is printed: PL61 1090 1014 0000 0712 1981 2874.</summary>
    public static string FormatAccount(string account)
    {
        var compact = new string(account.Where(c => !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();
        return string.Join(' ', compact.Chunk(4).Select(g => new string(g)));
    }

    private sealed class Layout
    {
        private const double PageWidth = 595.28, PageHeight = 841.89;
        private const double Left = 40, Right = PageWidth - 40, Top = 38;
        private const double ContentBottom = PageHeight - 56;
        private const double CellPadding = 3;

        private static readonly XColor Ink = XColor.FromArgb(34, 34, 34);
        private static readonly XColor Muted = XColor.FromArgb(102, 108, 116);
        private static readonly XColor Accent = XColor.FromArgb(31, 78, 121);
        private static readonly XColor Rule = XColor.FromArgb(200, 206, 214);
        private static readonly XColor HeaderFill = XColor.FromArgb(233, 239, 245);
        private static readonly XColor TotalFill = XColor.FromArgb(244, 247, 250);

        private readonly InvoicePrint invoice;
        private readonly DocumentLanguage language;
        private readonly InvoicePdfTexts t;
        private readonly NumberFormatInfo numbers;
        private readonly PdfDocument document = new();
        private readonly Column[] columns;
        private XGraphics? gfx;
        private double y;

        private readonly XFont regular, bold, small, smallBold, tableFont, tableHeaderFont, titleFont, numberFont, dueFont;

        public Layout(InvoicePrint invoice, DocumentLanguage language)
        {
            this.invoice = invoice;
            this.language = language;
            t = InvoicePdfTexts.For(language);
            numbers = language.NumberFormat();
            regular = Font(9);
            bold = Font(9, true);
            small = Font(7.5);
            smallBold = Font(7.5, true);
            tableFont = Font(7.5);
            tableHeaderFont = Font(6.5, true);
            titleFont = Font(19, true);
            numberFont = Font(12, true);
            dueFont = Font(13, true);

            // Widths sum to the content width (515.28): the description takes what the figures leave.
            columns =
            [
                new(t.Position, 20, Align.Center),
                new(t.Description, 0, Align.Left),
                new(t.Quantity, 36, Align.Right),
                new(t.Unit, 28, Align.Left),
                new(invoice.PricingMode == PricingMode.Gross ? t.GrossPrice : t.NetPrice, 56, Align.Right),
                new(t.Discount, 36, Align.Right),
                new(t.NetValue, 62, Align.Right),
                new(t.VatRate, 38, Align.Center),
                new(t.VatAmount, 54, Align.Right),
                new(t.GrossValue, 62, Align.Right),
            ];
            columns[1] = columns[1] with { Width = (Right - Left) - columns.Sum(c => c.Width) };
        }

        public byte[] Render()
        {
            document.Info.Title = $"{t.Title} {invoice.Number ?? t.Unnumbered}";
            document.Info.Subject = invoice.Seller.Name + " → " + invoice.Buyer.Name;
            document.Info.Creator = "Kontor";
            document.Language = language.Code();

            NewPage(continuation: false);
            DrawHeading();
            DrawParties();
            DrawLines();
            DrawSummaryAndPayment();
            DrawAmountDue();
            DrawAnnotations();
            DrawNotes();
            gfx?.Dispose();
            DrawFooters();

            using var output = new MemoryStream();
            document.Save(output, closeStream: false);
            return output.ToArray();
        }

        // ---------------------------------------------------------------- pages

        private void NewPage(bool continuation)
        {
            gfx?.Dispose();
            var page = document.AddPage();
            page.Size = PageSize.A4;
            gfx = XGraphics.FromPdfPage(page);
            if (invoice.IsDraft) DrawWatermark();
            y = Top;
            if (continuation)
            {
                Text($"{t.Title} {NumberText} — {t.Continued}", small, Muted, Left, y, Right - Left);
                y += 16;
            }
        }

        private XGraphics G => gfx ?? throw new InvalidOperationException("No page is open.");

        /// <summary>Starts a new page when <paramref name="height"/> does not fit on this one; true when it did.</summary>
        private bool EnsureSpace(double height)
        {
            if (y + height <= ContentBottom) return false;
            NewPage(continuation: true);
            return true;
        }

        private void DrawWatermark()
        {
            var text = t.DraftWatermark;
            var probe = Font(100, true);
            var size = Math.Min(110, 100 * 560 / G.MeasureString(text, probe).Width);
            var font = Font(size, true);
            var state = G.Save();
            G.TranslateTransform(PageWidth / 2, PageHeight / 2);
            G.RotateTransform(-50);
            G.DrawString(text, font, new XSolidBrush(XColor.FromArgb(38, 200, 30, 30)), new XRect(-400, -size / 2, 800, size), XStringFormats.Center);
            G.Restore(state);
        }

        private void DrawFooters()
        {
            var count = document.PageCount;
            for (var i = 0; i < count; i++)
            {
                using var page = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
                var lineY = PageHeight - 40;
                page.DrawLine(new XPen(Rule, 0.6), Left, lineY, Right, lineY);
                var footerLeft = $"{t.Title} {NumberText} · {invoice.Seller.Name}";
                page.DrawString(footerLeft, small, new XSolidBrush(Muted), new XRect(Left, lineY + 5, 380, 10), XStringFormats.TopLeft);
                page.DrawString($"{t.Page} {i + 1}/{count}", smallBold, new XSolidBrush(Muted), new XRect(Right - 120, lineY + 5, 120, 10), XStringFormats.TopRight);
            }
        }

        // ---------------------------------------------------------------- blocks

        private string NumberText => invoice.Number is { } number ? $"{t.NumberPrefix} {number}" : t.Unnumbered;

        private void DrawHeading()
        {
            var headingTop = y;
            Text(t.Title, titleFont, Accent, Left, y, 300);
            Text(NumberText, numberFont, Ink, Left, y + 26, 300);
            var leftBottom = y + 46;

            // Dates on the right: label muted, value bold, both right-aligned against the margin.
            var rows = new List<(string Label, string Value)>();
            if (!string.IsNullOrWhiteSpace(invoice.Seller.City)) rows.Add((t.PlaceOfIssue, invoice.Seller.City!));
            rows.Add((t.IssueDate, DateText(invoice.IssueDate)));
            rows.Add((t.SaleDate, DateText(invoice.SaleDate ?? invoice.IssueDate)));
            var valueWidth = rows.Max(r => G.MeasureString(r.Value, bold).Width);
            var rowY = headingTop + 2;
            foreach (var (label, value) in rows)
            {
                Text(label + ":", small, Muted, Right - valueWidth - 236, rowY + 1, 230, Align.Right);
                Text(value, bold, Ink, Right - valueWidth, rowY, valueWidth, Align.Right);
                rowY += 13;
            }
            y = Math.Max(leftBottom, rowY) + 4;

            if (invoice.IsDraft)
            {
                Text(t.DraftNotice, smallBold, XColor.FromArgb(176, 32, 32), Left, y, Right - Left);
                y += 12;
            }
            G.DrawLine(new XPen(Accent, 1.4), Left, y, Right, y);
            y += 10;
        }

        private void DrawParties()
        {
            const double gap = 18;
            var width = (Right - Left - gap) / 2;
            var sellerBottom = PartyBlock(t.Seller, invoice.Seller, Left, width);
            var buyerBottom = PartyBlock(t.Buyer, invoice.Buyer, Left + width + gap, width);
            y = Math.Max(sellerBottom, buyerBottom) + 3;
            G.DrawLine(new XPen(Rule, 0.6), Left, y, Left + width, y);
            G.DrawLine(new XPen(Rule, 0.6), Left + width + gap, y, Right, y);
            y += 12;
        }

        private double PartyBlock(string caption, PrintedParty party, double x, double width)
        {
            var top = y;
            G.DrawRectangle(new XSolidBrush(HeaderFill), x, top, width, 14);
            Text(caption.ToUpper(CultureInfo.InvariantCulture), smallBold, Accent, x + 6, top + 3.5, width - 12);
            var cursor = top + 19;
            foreach (var line in Wrap(party.Name, bold, width - 12))
            {
                Text(line, bold, Ink, x + 6, cursor, width - 12);
                cursor += 11.5;
            }
            var cityLine = string.Join(" ", new[] { party.PostalCode, party.City }.Where(s => !string.IsNullOrWhiteSpace(s)));
            if (party.CountryCode != invoice.Seller.CountryCode || party.CountryCode != "PL")
                cityLine = string.Join(", ", new[] { cityLine, party.CountryCode }.Where(s => !string.IsNullOrWhiteSpace(s)));
            foreach (var text in new[] { party.Street, cityLine })
            {
                if (string.IsNullOrWhiteSpace(text)) continue;
                foreach (var line in Wrap(text, regular, width - 12))
                {
                    Text(line, regular, Ink, x + 6, cursor, width - 12);
                    cursor += 11;
                }
            }
            if (!string.IsNullOrWhiteSpace(party.TaxId))
            {
                Text($"{t.TaxIdLabel(party.TaxIdKind, party.CountryCode)}: {party.TaxId}", bold, Ink, x + 6, cursor + 2, width - 12);
                cursor += 13;
            }
            return cursor;
        }

        private void DrawLines()
        {
            DrawTableHeader();
            foreach (var line in invoice.Lines)
            {
                string[] cells =
                [
                    line.Position.ToString(CultureInfo.InvariantCulture),
                    line.Description,
                    Quantity(line.Quantity),
                    line.Unit,
                    Price(line.UnitPrice),
                    line.DiscountPercent == 0 ? "" : Percent(line.DiscountPercent),
                    Amount(line.Net),
                    t.RateLabel(line.VatKind, line.VatPercent, line.VatRateCode, language),
                    Amount(line.Vat),
                    Amount(line.Gross),
                ];
                var wrapped = cells.Select((text, i) => i == 1 || i == 3 ? Wrap(text, tableFont, columns[i].Width - 2 * CellPadding) : [text]).ToArray();
                var lineCount = wrapped.Max(w => w.Count);
                var height = lineCount * 9.2 + 2 * CellPadding + 1;
                if (EnsureSpace(height)) DrawTableHeader();

                var x = Left;
                for (var i = 0; i < columns.Length; i++)
                {
                    var cellY = y + CellPadding + 0.5;
                    foreach (var text in wrapped[i])
                    {
                        Fitted(text, tableFont, Ink, x + CellPadding, cellY, columns[i].Width - 2 * CellPadding, columns[i].Align);
                        cellY += 9.2;
                    }
                    x += columns[i].Width;
                }
                y += height;
                G.DrawLine(new XPen(Rule, 0.5), Left, y, Right, y);
            }
            y += 14;
        }

        private void DrawTableHeader()
        {
            var wrapped = columns.Select(c => Wrap(c.Title, tableHeaderFont, c.Width - 2 * CellPadding)).ToArray();
            var height = Math.Max(2, wrapped.Max(w => w.Count)) * 8.2 + 2 * CellPadding + 1;
            EnsureSpace(height + 20); // never a header alone at the foot of a page
            G.DrawRectangle(new XSolidBrush(HeaderFill), Left, y, Right - Left, height);
            var x = Left;
            for (var i = 0; i < columns.Length; i++)
            {
                var textHeight = wrapped[i].Count * 8.2;
                var cellY = y + (height - textHeight) / 2 + 0.5;
                foreach (var text in wrapped[i])
                {
                    Text(text, tableHeaderFont, Accent, x + CellPadding, cellY, columns[i].Width - 2 * CellPadding, columns[i].Align == Align.Left ? Align.Left : Align.Center);
                    cellY += 8.2;
                }
                x += columns[i].Width;
            }
            y += height;
            G.DrawLine(new XPen(Accent, 0.8), Left, y, Right, y);
        }

        private void DrawSummaryAndPayment()
        {
            // VAT summary on the right, payment terms on the left, kept together on one page.
            double[] widths = [50, 70, 62, 72];
            var summaryWidth = widths.Sum();
            var summaryX = Right - summaryWidth;
            const double rowHeight = 13;
            var summaryHeight = 14 + rowHeight * (invoice.VatRows.Count + 2) + 4;
            EnsureSpace(Math.Max(summaryHeight, 70));
            var top = y;

            Text(t.VatSummary, smallBold, Accent, summaryX, y, summaryWidth);
            y += 13;
            string[] headers = [t.VatRate, t.NetValue, t.VatAmount, t.GrossValue];
            G.DrawRectangle(new XSolidBrush(HeaderFill), summaryX, y, summaryWidth, rowHeight);
            Row(headers, tableHeaderFont, Accent, y + 3.2);
            y += rowHeight;
            foreach (var row in invoice.VatRows)
            {
                Row([t.RateLabel(row.VatKind, row.VatPercent, row.VatRateCode, language), Amount(row.Net), Amount(row.Vat), Amount(row.Gross)], tableFont, Ink, y + 3);
                y += rowHeight;
                G.DrawLine(new XPen(Rule, 0.5), summaryX, y, Right, y);
            }
            G.DrawRectangle(new XSolidBrush(TotalFill), summaryX, y, summaryWidth, rowHeight + 1);
            Row([t.Total, Amount(invoice.TotalNet), Amount(invoice.TotalVat), Amount(invoice.TotalGross)], Font(7.8, true), Ink, y + 3.2);
            y += rowHeight + 1;
            G.DrawLine(new XPen(Accent, 0.8), summaryX, y, Right, y);
            var summaryBottom = y;

            // Payment terms.
            var paymentWidth = summaryX - Left - 24;
            var cursor = top;
            Text(t.Payment, smallBold, Accent, Left, cursor, paymentWidth);
            cursor += 13;
            cursor = KeyValue(t.PaymentMethod, t.BankTransfer, cursor, paymentWidth);
            var due = invoice.DueDate is { } dueDate
                ? $"{DateText(dueDate)} ({string.Format(CultureInfo.InvariantCulture, t.DaysFormat, invoice.PaymentTermDays)})"
                : string.Format(CultureInfo.InvariantCulture, t.DaysFormat, invoice.PaymentTermDays);
            cursor = KeyValue(t.DueDate, due, cursor, paymentWidth);
            if (!string.IsNullOrWhiteSpace(invoice.Seller.BankAccount))
                cursor = KeyValue(t.BankAccount, FormatAccount(invoice.Seller.BankAccount!), cursor, paymentWidth);
            y = Math.Max(summaryBottom, cursor) + 12;

            void Row(string[] cells, XFont font, XColor color, double rowY)
            {
                var x = summaryX;
                for (var i = 0; i < cells.Length; i++)
                {
                    Fitted(cells[i], font, color, x + CellPadding, rowY, widths[i] - 2 * CellPadding, i == 0 ? Align.Left : Align.Right);
                    x += widths[i];
                }
            }
        }

        /// <summary>A label and its value on one line; a value too long for that (an IBAN) goes on the line below, unbroken.</summary>
        private double KeyValue(string key, string value, double top, double width)
        {
            const double keyWidth = 84;
            Text(key + ":", small, Muted, Left, top + 1, keyWidth);
            var cursor = top;
            if (G.MeasureString(value, bold).Width > width - keyWidth) cursor += 10.5;
            var valueX = cursor == top ? Left + keyWidth : Left;
            foreach (var line in Wrap(value, bold, Left + width - valueX))
            {
                Text(line, bold, Ink, valueX, cursor, Left + width - valueX);
                cursor += 11.5;
            }
            return cursor + 1;
        }

        private void DrawAmountDue()
        {
            var words = $"{t.InWords}: {AmountInWords.Format(invoice.TotalGross, invoice.Currency, language)}";
            var wordLines = Wrap(words, regular, Right - Left - 20);
            var height = 28 + wordLines.Count * 11.5 + 6;
            EnsureSpace(height);
            G.DrawRectangle(new XPen(Accent, 1), new XSolidBrush(TotalFill), Left, y, Right - Left, height);
            Text($"{t.AmountDue}:", Font(11, true), Accent, Left + 10, y + 9, 200);
            Text($"{Amount(invoice.TotalGross)} {invoice.Currency}", dueFont, Ink, Left + 10, y + 8, Right - Left - 20, Align.Right);
            var cursor = y + 28;
            foreach (var line in wordLines)
            {
                Text(line, regular, Ink, Left + 10, cursor, Right - Left - 20);
                cursor += 11.5;
            }
            y += height + 10;
        }

        private void DrawAnnotations()
        {
            var annotations = new List<string>();
            if (invoice.SplitPayment) annotations.Add(t.SplitPayment);
            if (invoice.ReverseCharge) annotations.Add(t.ReverseCharge);
            foreach (var annotation in annotations)
            {
                EnsureSpace(20);
                G.DrawRectangle(new XPen(Ink, 0.9), Left, y, Right - Left, 17);
                Text(annotation, Font(9.5, true), Ink, Left + 8, y + 3.5, Right - Left - 16);
                y += 23;
            }
        }

        private void DrawNotes()
        {
            if (invoice.Notes is null) return;
            EnsureSpace(30);
            Text(t.Notes, smallBold, Accent, Left, y, Right - Left);
            y += 12;
            foreach (var paragraph in invoice.Notes.Split('\n'))
            foreach (var line in Wrap(paragraph.TrimEnd('\r'), regular, Right - Left))
            {
                EnsureSpace(12);
                Text(line, regular, Ink, Left, y, Right - Left);
                y += 11.5;
            }
        }

        // ---------------------------------------------------------------- text

        private enum Align { Left, Center, Right }

        private sealed record Column(string Title, double Width, Align Align);

        private static XFont Font(double size, bool isBold = false) =>
            new(EmbeddedFontResolver.Family, size, isBold ? XFontStyleEx.Bold : XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));

        private void Text(string text, XFont font, XColor color, double x, double top, double width, Align align = Align.Left)
        {
            if (text.Length == 0) return;
            var format = align switch { Align.Right => XStringFormats.TopRight, Align.Center => XStringFormats.TopCenter, _ => XStringFormats.TopLeft };
            G.DrawString(text, font, new XSolidBrush(color), new XRect(x, top, width, font.Size * 1.3), format);
        }

        /// <summary>Draws a single-line figure, shrinking the font when it would overflow its cell (a very large amount).</summary>
        private void Fitted(string text, XFont font, XColor color, double x, double top, double width, Align align)
        {
            var measured = G.MeasureString(text, font).Width;
            var fitted = measured <= width || text.Length == 0 ? font : Font(Math.Max(4, font.Size * width / measured), font.Bold);
            Text(text, fitted, color, x, top + (font.Size - fitted.Size) / 2, width, align);
        }

        /// <summary>Word-wraps to <paramref name="width"/>; a word longer than the width is broken by characters.</summary>
        private List<string> Wrap(string text, XFont font, double width)
        {
            var lines = new List<string>();
            var current = "";
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (G.MeasureString(candidate, font).Width <= width) { current = candidate; continue; }
                if (current.Length > 0) lines.Add(current);
                current = word;
                while (current.Length > 1 && G.MeasureString(current, font).Width > width)
                {
                    var cut = current.Length - 1;
                    while (cut > 1 && G.MeasureString(current[..cut], font).Width > width) cut--;
                    lines.Add(current[..cut]);
                    current = current[cut..];
                }
            }
            if (current.Length > 0 || lines.Count == 0) lines.Add(current);
            return lines;
        }

        // ---------------------------------------------------------------- figures

        private string Amount(decimal value) => value.ToString("#,##0.00", numbers);

        private string Price(decimal value) => value.ToString("#,##0.00##", numbers);

        private string Quantity(decimal value) => value.ToString("#,##0.####", numbers);

        private string Percent(decimal value) => value.ToString("0.##", numbers) + "%";

        private string DateText(DateOnly? date) => date is { } d
            ? language == DocumentLanguage.En ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)
            : t.OnIssue;
    }
}
