using System.Globalization;
using System.Text;
using Kontor.Sales;
using SkiaSharp;

namespace Kontor.Documents;

/// <summary>
/// Lays an <see cref="InvoicePrint"/> out on A4 pages: heading with number and dates, seller and buyer,
/// the lines (flowing onto further pages with the table header repeated), the summary per VAT rate,
/// payment terms, the amount due in figures and words, statutory annotations, notes and "page/pages".
/// Drawn with SkiaSharp's PDF backend (MIT); the DejaVu fonts come from this assembly, see <see cref="DocumentFonts"/>.
/// Offers and orders (<see cref="InvoicePrint.SalesDocument"/>) use the same layout with their own title, dates and
/// total caption, and without the invoice's legal wording. <see cref="DocumentBranding"/> adds the company's logo,
/// footer line and accent colour.
/// </summary>
public static class InvoicePdfRenderer
{
    public static byte[] Render(InvoicePrint invoice, DocumentLanguage language, DocumentBranding? branding = null)
    {
        using var layout = new Layout(invoice, language, branding ?? DocumentBranding.None);
        return layout.Render();
    }

    /// <summary>An account number in groups of four, as an IBAN is printed: PL61 1090 1014 0000 0712 1981 2874.</summary>
    public static string FormatAccount(string account)
    {
        var compact = new string(account.Where(c => !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();
        return string.Join(' ', compact.Chunk(4).Select(g => new string(g)));
    }

    /// <summary>
    /// Coordinates are PDF points from the top-left corner of an A4 page. Each page is first kept as a list of
    /// drawing steps and written out only when the whole document is laid out: every footer says "page i/N", a
    /// PDF page cannot be reopened once Skia has written it, and the fonts are cut down to the glyphs used.
    /// </summary>
    private sealed class Layout : IDisposable
    {
        private const double PageWidth = 595.28, PageHeight = 841.89;
        private const double Left = 40, Right = PageWidth - 40, Top = 38;
        private const double ContentBottom = PageHeight - 56;
        private const double CellPadding = 3;

        private static readonly SKColor Ink = new(34, 34, 34);
        private static readonly SKColor Muted = new(102, 108, 116);
        private static readonly SKColor DefaultAccent = new(31, 78, 121);
        /// <summary>The logo is scaled, keeping its proportions, to fit this box at the top-left of the first page.</summary>
        private const double LogoBoxWidth = 160, LogoBoxHeight = 56;
        private static readonly SKColor Rule = new(200, 206, 214);
        private static readonly SKColor HeaderFill = new(233, 239, 245);
        private static readonly SKColor TotalFill = new(244, 247, 250);
        private static readonly SKColor Warning = new(176, 32, 32);
        private static readonly SKColor WatermarkInk = new(200, 30, 30, 38);

        private readonly InvoicePrint invoice;
        private readonly DocumentLanguage language;
        private readonly InvoicePdfTexts t;
        private readonly SalesDocumentPdfTexts st;
        private readonly DocumentBranding branding;
        private readonly SKColor Accent;
        private readonly SKImage? logo;
        private readonly NumberFormatInfo numbers;
        private readonly Column[] columns;
        private readonly Dictionary<(double Size, bool Bold), Font> fonts = [];
        private readonly List<List<DrawStep>> pages = [];
        private readonly StringBuilder regularText = new(), boldText = new();
        private readonly SKPaint paint = new() { IsAntialias = true };
        private List<DrawStep>? page;
        private double y;

        private readonly Font regular, bold, small, smallBold, tableFont, tableHeaderFont, titleFont, numberFont, dueFont;

        public Layout(InvoicePrint invoice, DocumentLanguage language, DocumentBranding branding)
        {
            this.invoice = invoice;
            this.language = language;
            this.branding = branding;
            t = InvoicePdfTexts.For(language);
            st = SalesDocumentPdfTexts.For(language);
            Accent = branding.AccentColor is { } hex && SKColor.TryParse(hex, out var accent) ? accent : DefaultAccent;
            // The logo was checked on upload; should it still not decode, the document prints without it.
            logo = branding.Logo is { Length: > 0 } bytes ? SKImage.FromEncodedData(bytes) : null;
            numbers = language.NumberFormat();
            regular = GetFont(9);
            bold = GetFont(9, true);
            small = GetFont(7.5);
            smallBold = GetFont(7.5, true);
            tableFont = GetFont(7.5);
            tableHeaderFont = GetFont(6.5, true);
            titleFont = GetFont(19, true);
            numberFont = GetFont(12, true);
            dueFont = GetFont(13, true);

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
            NewPage(continuation: false);
            DrawHeading();
            DrawParties();
            DrawLines();
            DrawSettlement();
            DrawSummaryAndPayment();
            DrawVatInBaseCurrency();
            DrawAmountDue();
            DrawAnnotations();
            DrawNotes();
            for (var i = 0; i < pages.Count; i++)
            {
                page = pages[i];
                DrawFooter(i + 1, pages.Count);
            }
            return WriteDocument();
        }

        public void Dispose()
        {
            foreach (var font in fonts.Values) font.Skia.Dispose();
            paint.Dispose();
            logo?.Dispose();
        }

        /// <summary>One drawing operation of a page, replayed onto the PDF canvas with the document's font subsets.</summary>
        private delegate void DrawStep(SKCanvas canvas, DrawingFonts fonts);

        /// <summary>The faces cut down to the glyphs this document uses, in the sizes asked for.</summary>
        private sealed class DrawingFonts(SKTypeface regular, SKTypeface bold) : IDisposable
        {
            private readonly Dictionary<(double Size, bool Bold), SKFont> cache = [];

            public SKFont Get(double size, bool isBold)
            {
                if (!cache.TryGetValue((size, isBold), out var font))
                    cache.Add((size, isBold), font = DocumentFonts.Create(isBold ? bold : regular, (float)size));
                return font;
            }

            public void Dispose()
            {
                foreach (var font in cache.Values) font.Dispose();
                regular.Dispose();
                bold.Dispose();
            }
        }

        // ---------------------------------------------------------------- pages

        private byte[] WriteDocument()
        {
            // No creation or modification date: the same invoice renders to the same bytes, and the dates that
            // matter are printed on the document. Skia writes no random document id outside PDF/A mode.
            var metadata = new SKDocumentPdfMetadata(SKDocumentPdfMetadata.DefaultRasterDpi, SKDocumentPdfMetadata.DefaultEncodingQuality)
            {
                Title = $"{Title} {invoice.Number ?? t.Unnumbered}",
                Subject = invoice.Seller.Name + " → " + invoice.Buyer.Name,
                Creator = "Kontor",
                Producer = "Kontor (SkiaSharp)",
            };
            using var fonts = new DrawingFonts(DocumentFonts.Subset(false, regularText.ToString()), DocumentFonts.Subset(true, boldText.ToString()));
            using var output = new MemoryStream();
            using (var document = SKDocument.CreatePdf(output, metadata)
                ?? throw new InvalidOperationException("SkiaSharp could not create a PDF document."))
            {
                foreach (var steps in pages)
                {
                    var canvas = document.BeginPage((float)PageWidth, (float)PageHeight);
                    foreach (var step in steps) step(canvas, fonts);
                    document.EndPage();
                }
                document.Close();
            }
            return output.ToArray();
        }

        private void NewPage(bool continuation)
        {
            page = [];
            pages.Add(page);
            if (invoice.IsDraft) DrawWatermark();
            y = Top;
            if (continuation)
            {
                Text($"{Title} {NumberText} — {t.Continued}", small, Muted, Left, y, Right - Left);
                y += 16;
            }
        }

        private void Draw(DrawStep step) => (page ?? throw new InvalidOperationException("No page is open.")).Add(step);

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
            var size = Math.Min(110, 100 * 560 / Measure(text, GetFont(100, true)));
            var font = GetFont(size, true);
            boldText.Append(text);
            // Centred on the page's middle both ways: the baseline sits half the glyph box below the centre.
            var baseline = (float)((font.Ascent - font.Descent) / 2);
            Draw((canvas, fonts) =>
            {
                canvas.Save();
                canvas.Translate((float)(PageWidth / 2), (float)(PageHeight / 2));
                canvas.RotateDegrees(-50);
                paint.Style = SKPaintStyle.Fill;
                paint.Color = WatermarkInk;
                canvas.DrawText(text, 0, baseline, SKTextAlign.Center, fonts.Get(size, true), paint);
                canvas.Restore();
            });
        }

        private void DrawFooter(int page, int count)
        {
            var lineY = PageHeight - 40;
            Line(Rule, 0.6, Left, lineY, Right, lineY);
            var footerLeft = $"{Title} {NumberText} · {invoice.Seller.Name}";
            Text(footerLeft, small, Muted, Left, lineY + 5, 380);
            Text($"{t.Page} {page}/{count}", smallBold, Muted, Right - 120, lineY + 5, 120, Align.Right);
            // The company's footer from its document template (settings): one line, shrunk to fit.
            if (!string.IsNullOrWhiteSpace(branding.FooterText))
                Fitted(string.Join(" ", branding.FooterText.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)), small, Muted, Left, lineY + 16, Right - Left, Align.Center);
        }

        // ---------------------------------------------------------------- blocks

        private string NumberText => invoice.Number is { } number ? $"{t.NumberPrefix} {number}" : t.Unnumbered;

        private string Title => invoice.SalesDocument is { } sales ? st.Title(sales.Kind) : invoice.Kind switch
        {
            InvoiceKind.ProForma => t.ProFormaTitle,
            InvoiceKind.Advance => t.AdvanceTitle,
            InvoiceKind.Final => t.FinalTitle,
            _ => invoice.Correction is null ? t.Title : t.CorrectionTitle,
        };

        /// <summary>The logo top-left, scaled into <see cref="LogoBoxWidth"/> × <see cref="LogoBoxHeight"/>; the heading starts below it.</summary>
        private void DrawLogo()
        {
            if (logo is not { } image) return;
            var scale = Math.Min(LogoBoxWidth / image.Width, LogoBoxHeight / image.Height);
            var rect = SKRect.Create((float)Left, (float)y, (float)(image.Width * scale), (float)(image.Height * scale));
            Draw((canvas, _) => canvas.DrawImage(image, rect, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None), null));
            y += image.Height * scale + 10;
        }

        /// <summary>An offer's date and validity, or an order's date and status, in place of an invoice's issue and supply dates.</summary>
        private IEnumerable<(string Label, string Value)> SalesDocumentDates(SalesDocumentPrint sales)
        {
            if (sales.Kind == SalesDocumentKind.Offer)
            {
                yield return (st.OfferDate, sales.DocumentDate is { } sent ? DateText(sent) : st.NotSentYet);
                yield return (st.ValidUntil, DateText(sales.ValidUntil));
            }
            else
            {
                yield return (st.OrderDate, DateText(sales.DocumentDate));
                if (sales.Status is { } status) yield return (st.Status, st.StatusName(status));
            }
        }

        private void DrawHeading()
        {
            DrawLogo();
            var headingTop = y;
            Text(Title, titleFont, Accent, Left, y, 300);
            Text(NumberText, numberFont, Ink, Left, y + 26, 300);
            var leftBottom = y + 46;

            // Dates on the right: label muted, value bold, both right-aligned against the margin.
            var rows = new List<(string Label, string Value)>();
            if (!string.IsNullOrWhiteSpace(invoice.Seller.City)) rows.Add((t.PlaceOfIssue, invoice.Seller.City!));
            if (invoice.SalesDocument is { } sales) rows.AddRange(SalesDocumentDates(sales));
            else
            {
                rows.Add((t.IssueDate, DateText(invoice.IssueDate)));
                // An advance invoice's second date is the day the payment was received (art. 106f ust. 1 pkt 2).
                rows.Add((invoice.Kind == InvoiceKind.Advance ? t.ReceivedOn : t.SaleDate, DateText(invoice.SaleDate ?? invoice.IssueDate)));
            }
            var valueWidth = rows.Max(r => Measure(r.Value, bold));
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
                Text(invoice.SalesDocument is null ? t.DraftNotice : st.DraftNotice, smallBold, Warning, Left, y, Right - Left);
                y += 12;
            }
            if (invoice.Kind == InvoiceKind.ProForma)
            {
                Text(t.ProFormaNotice, smallBold, Warning, Left, y, Right - Left);
                y += 12;
            }
            if (invoice.Settlement is { OrderNumber: { } orderNumber })
            {
                Text(string.Format(CultureInfo.InvariantCulture, t.OrderFormat, orderNumber), bold, Ink, Left, y, Right - Left);
                y += 12;
            }
            if (invoice.Correction is { } correction)
            {
                Text(string.Format(CultureInfo.InvariantCulture, t.CorrectsFormat, correction.CorrectedNumber, DateText(correction.CorrectedIssueDate)), bold, Ink, Left, y, Right - Left);
                y += 12;
                foreach (var line in Wrap($"{t.CorrectionReason}: {correction.Reason}", regular, Right - Left))
                {
                    Text(line, regular, Ink, Left, y, Right - Left);
                    y += 11;
                }
                y += 2;
            }
            Line(Accent, 1.4, Left, y, Right, y);
            y += 10;
        }

        private void DrawParties()
        {
            const double gap = 18;
            var width = (Right - Left - gap) / 2;
            var sellerBottom = PartyBlock(t.Seller, invoice.Seller, Left, width);
            // A consumer's block is simplified: name and address, no tax id line (there is none to print).
            var buyerBottom = PartyBlock(invoice.BuyerIsConsumer && t.ConsumerBuyer.Length > 0 ? t.ConsumerBuyer : t.Buyer, invoice.Buyer, Left + width + gap, width);
            y = Math.Max(sellerBottom, buyerBottom) + 3;
            Line(Rule, 0.6, Left, y, Left + width, y);
            Line(Rule, 0.6, Left + width + gap, y, Right, y);
            y += 12;
        }

        private double PartyBlock(string caption, PrintedParty party, double x, double width)
        {
            var top = y;
            Fill(HeaderFill, x, top, width, 14);
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
            if (invoice.Correction is not { } correction)
            {
                DrawLines(invoice.Lines);
                return;
            }
            // A correction prints the lines before and after it; the summary below is the difference.
            foreach (var (caption, lines) in new[] { (t.BeforeCorrection, correction.LinesBefore), (t.AfterCorrection, invoice.Lines) })
            {
                EnsureSpace(40);
                Text(caption, smallBold, Accent, Left, y, Right - Left);
                y += 12;
                DrawLines(lines);
            }
        }

        private void DrawLines(IReadOnlyList<PrintedLine> lines)
        {
            DrawTableHeader();
            foreach (var line in lines)
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
                Line(Rule, 0.5, Left, y, Right, y);
            }
            y += 14;
        }

        private void DrawTableHeader()
        {
            var wrapped = columns.Select(c => Wrap(c.Title, tableHeaderFont, c.Width - 2 * CellPadding)).ToArray();
            var height = Math.Max(2, wrapped.Max(w => w.Count)) * 8.2 + 2 * CellPadding + 1;
            EnsureSpace(height + 20); // never a header alone at the foot of a page
            Fill(HeaderFill, Left, y, Right - Left, height);
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
            Line(Accent, 0.8, Left, y, Right, y);
        }

        /// <summary>
        /// Advance and final invoices: the order's value (the lines above are the order), on an advance the amount
        /// received, on a final invoice the advance invoices deducted per rate with their totals.
        /// </summary>
        private void DrawSettlement()
        {
            if (invoice.Settlement is not { } s) return;
            EnsureSpace(40);
            var orderValue = $"{t.OrderValue}: {t.NetValue} {Amount(s.OrderNet)} · {t.VatAmount} {Amount(s.OrderVat)} · {t.GrossValue} {Amount(s.OrderGross)} {invoice.Currency}";
            Text(orderValue, bold, Ink, Left, y, Right - Left);
            y += 13;
            if (s.AmountReceived is { } received)
            {
                Text($"{t.AmountReceived}: {Amount(received)} {invoice.Currency} ({t.ReceivedOn.ToLower(CultureInfo.InvariantCulture)} {DateText(s.ReceivedOn)})", bold, Ink, Left, y, Right - Left);
                y += 13;
            }
            if (s.Advances.Count > 0)
            {
                double[] widths = [150, 70, 60, 78, 78, 79.28];
                const double rowHeight = 13;
                EnsureSpace(14 + rowHeight * (s.Advances.Count + 2));
                Text(t.AdvancesDeducted, smallBold, Accent, Left, y, Right - Left);
                y += 13;
                Fill(HeaderFill, Left, y, Right - Left, rowHeight);
                Row([t.AdvanceInvoice, t.Date, t.VatRate, t.NetValue, t.VatAmount, t.GrossValue], tableHeaderFont, Accent, y + 3.2);
                y += rowHeight;
                foreach (var a in s.Advances)
                {
                    EnsureSpace(rowHeight);
                    Row([a.Number, DateText(a.IssueDate), t.RateLabel(a.VatKind, a.VatPercent, a.VatRateCode, language), Amount(a.Net), Amount(a.Vat), Amount(a.Gross)], tableFont, Ink, y + 3);
                    y += rowHeight;
                    Line(Rule, 0.5, Left, y, Right, y);
                }
                Fill(TotalFill, Left, y, Right - Left, rowHeight + 1);
                Row([t.Total, "", "", Amount(s.Advances.Sum(a => a.Net)), Amount(s.Advances.Sum(a => a.Vat)), Amount(s.Advances.Sum(a => a.Gross))], GetFont(7.8, true), Ink, y + 3.2);
                y += rowHeight + 1;
                Line(Accent, 0.8, Left, y, Right, y);

                void Row(string[] cells, Font font, SKColor color, double rowY)
                {
                    var x = Left;
                    for (var i = 0; i < cells.Length; i++)
                    {
                        Fitted(cells[i], font, color, x + CellPadding, rowY, widths[i] - 2 * CellPadding, i < 3 ? Align.Left : Align.Right);
                        x += widths[i];
                    }
                }
            }
            y += 12;
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

            Text(invoice.Kind switch
            {
                InvoiceKind.Advance => t.AdvanceSummary,
                InvoiceKind.Final => t.RemainingSummary,
                _ => invoice.Correction is null ? t.VatSummary : t.DifferenceSummary,
            }, smallBold, Accent, summaryX, y, summaryWidth);
            y += 13;
            string[] headers = [t.VatRate, t.NetValue, t.VatAmount, t.GrossValue];
            Fill(HeaderFill, summaryX, y, summaryWidth, rowHeight);
            Row(headers, tableHeaderFont, Accent, y + 3.2);
            y += rowHeight;
            foreach (var row in invoice.VatRows)
            {
                Row([t.RateLabel(row.VatKind, row.VatPercent, row.VatRateCode, language), Amount(row.Net), Amount(row.Vat), Amount(row.Gross)], tableFont, Ink, y + 3);
                y += rowHeight;
                Line(Rule, 0.5, summaryX, y, Right, y);
            }
            Fill(TotalFill, summaryX, y, summaryWidth, rowHeight + 1);
            Row([t.Total, Amount(invoice.TotalNet), Amount(invoice.TotalVat), Amount(invoice.TotalGross)], GetFont(7.8, true), Ink, y + 3.2);
            y += rowHeight + 1;
            Line(Accent, 0.8, summaryX, y, Right, y);
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
            cursor = KeyValue(invoice.SalesDocument is null ? t.DueDate : st.PaymentTerms, due, cursor, paymentWidth);
            if (!string.IsNullOrWhiteSpace(invoice.Seller.BankAccount))
                cursor = KeyValue(t.BankAccount, FormatAccount(invoice.Seller.BankAccount!), cursor, paymentWidth);
            y = Math.Max(summaryBottom, cursor) + 12;

            void Row(string[] cells, Font font, SKColor color, double rowY)
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
            if (Measure(value, bold) > width - keyWidth) cursor += 10.5;
            var valueX = cursor == top ? Left + keyWidth : Left;
            foreach (var line in Wrap(value, bold, Left + width - valueX))
            {
                Text(line, bold, Ink, valueX, cursor, Left + width - valueX);
                cursor += 11.5;
            }
            return cursor + 1;
        }

        /// <summary>The NBP rate and the VAT in PLN per rate and in total (art. 106e ust. 11), for foreign-currency invoices.</summary>
        private void DrawVatInBaseCurrency()
        {
            if (invoice.Conversion is not { } conversion) return;
            var rows = invoice.VatRows.Where(r => r.VatInBaseCurrency is not null).ToList();
            EnsureSpace(14 + 11.5 * (rows.Count + 2));
            var rateLine = string.Format(CultureInfo.InvariantCulture, t.RateLineFormat, DateText(conversion.RateDate), conversion.Table ?? "",
                conversion.Rate.ToString("0.0000######", numbers), conversion.BaseCurrency, invoice.Currency);
            Text(rateLine, bold, Ink, Left, y, Right - Left);
            y += 13;
            foreach (var row in rows)
            {
                Text($"{t.VatInBaseCurrency} ({t.RateLabel(row.VatKind, row.VatPercent, row.VatRateCode, language)}): {Amount(row.VatInBaseCurrency!.Value)} {conversion.BaseCurrency}",
                    regular, Ink, Left, y, Right - Left);
                y += 11.5;
            }
            Text($"{t.VatInBaseCurrency} ({t.Total}): {Amount(conversion.VatInBaseCurrency)} {conversion.BaseCurrency}", bold, Ink, Left, y, Right - Left);
            y += 11.5 + 10;
        }

        private void DrawAmountDue()
        {
            // A correction that lowers the amount is money to give back: printed as such, in positive words.
            var refund = invoice.TotalGross < 0;
            var words = $"{t.InWords}: {AmountInWords.Format(Math.Abs(invoice.TotalGross), invoice.Currency, language)}";
            var wordLines = Wrap(words, regular, Right - Left - 20);
            var height = 28 + wordLines.Count * 11.5 + 6;
            EnsureSpace(height);
            Fill(TotalFill, Left, y, Right - Left, height);
            Stroke(Accent, 1, Left, y, Right - Left, height);
            // An advance invoice documents money already received.
            var caption = invoice.SalesDocument is { } sales ? st.Value(sales.Kind) : refund ? t.AmountToRefund : invoice.Kind == InvoiceKind.Advance ? t.AmountReceived : t.AmountDue;
            Text($"{caption}:", GetFont(11, true), Accent, Left + 10, y + 9, 260);
            Text($"{Amount(Math.Abs(invoice.TotalGross))} {invoice.Currency}", dueFont, Ink, Left + 10, y + 8, Right - Left - 20, Align.Right);
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
            if (invoice.SalesDocument is not null) return; // statutory invoice wording only
            var annotations = new List<string>();
            if (invoice.SplitPayment) annotations.Add(t.SplitPayment);
            if (invoice.ReverseCharge) annotations.Add(t.ReverseCharge);
            foreach (var annotation in annotations)
            {
                EnsureSpace(20);
                Stroke(Ink, 0.9, Left, y, Right - Left, 17);
                Text(annotation, GetFont(9.5, true), Ink, Left + 8, y + 3.5, Right - Left - 16);
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

        // ---------------------------------------------------------------- drawing

        private void Line(SKColor color, double width, double x1, double y1, double x2, double y2) => Draw((canvas, _) =>
        {
            paint.Style = SKPaintStyle.Stroke;
            paint.StrokeWidth = (float)width;
            paint.Color = color;
            canvas.DrawLine((float)x1, (float)y1, (float)x2, (float)y2, paint);
        });

        private void Fill(SKColor color, double x, double top, double width, double height) => Draw((canvas, _) =>
        {
            paint.Style = SKPaintStyle.Fill;
            paint.Color = color;
            canvas.DrawRect((float)x, (float)top, (float)width, (float)height, paint);
        });

        private void Stroke(SKColor color, double lineWidth, double x, double top, double width, double height) => Draw((canvas, _) =>
        {
            paint.Style = SKPaintStyle.Stroke;
            paint.StrokeWidth = (float)lineWidth;
            paint.Color = color;
            canvas.DrawRect((float)x, (float)top, (float)width, (float)height, paint);
        });

        // ---------------------------------------------------------------- text

        private enum Align { Left, Center, Right }

        private sealed record Column(string Title, double Width, Align Align);

        /// <summary>
        /// A size of one face for measuring, with its ascent and descent (both positive, in points) for placing
        /// lines by their top. Drawing uses the same size of the document's subset (<see cref="DrawingFonts"/>).
        /// </summary>
        private sealed record Font(SKFont Skia, double Size, bool Bold, double Ascent, double Descent);

        private Font GetFont(double size, bool isBold = false)
        {
            if (fonts.TryGetValue((size, isBold), out var cached)) return cached;
            var skia = DocumentFonts.Create(DocumentFonts.Get(isBold), (float)size);
            var metrics = skia.Metrics;
            var font = new Font(skia, size, isBold, -metrics.Ascent, metrics.Descent);
            fonts.Add((size, isBold), font);
            return font;
        }

        private static double Measure(string text, Font font) => font.Skia.MeasureText(text);

        /// <summary>
        /// One run of text whose top (the font's ascent) is at <paramref name="top"/>, aligned within
        /// <paramref name="width"/>. The whole string is one draw, so a PDF reader sees the words with their spaces.
        /// </summary>
        private void Text(string text, Font font, SKColor color, double x, double top, double width, Align align = Align.Left)
        {
            if (text.Length == 0) return;
            var (anchor, skiaAlign) = align switch
            {
                Align.Right => (x + width, SKTextAlign.Right),
                Align.Center => (x + width / 2, SKTextAlign.Center),
                _ => (x, SKTextAlign.Left),
            };
            (font.Bold ? boldText : regularText).Append(text);
            var (size, isBold, baseline) = (font.Size, font.Bold, (float)(top + font.Ascent));
            Draw((canvas, fonts) =>
            {
                paint.Style = SKPaintStyle.Fill;
                paint.Color = color;
                canvas.DrawText(text, (float)anchor, baseline, skiaAlign, fonts.Get(size, isBold), paint);
            });
        }

        /// <summary>Draws a single-line figure, shrinking the font when it would overflow its cell (a very large amount).</summary>
        private void Fitted(string text, Font font, SKColor color, double x, double top, double width, Align align)
        {
            var measured = Measure(text, font);
            var fitted = measured <= width || text.Length == 0 ? font : GetFont(Math.Max(4, font.Size * width / measured), font.Bold);
            Text(text, fitted, color, x, top + (font.Size - fitted.Size) / 2, width, align);
        }

        /// <summary>Word-wraps to <paramref name="width"/>; a word longer than the width is broken by characters.</summary>
        private static List<string> Wrap(string text, Font font, double width)
        {
            var lines = new List<string>();
            var current = "";
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (Measure(candidate, font) <= width) { current = candidate; continue; }
                if (current.Length > 0) lines.Add(current);
                current = word;
                while (current.Length > 1 && Measure(current, font) > width)
                {
                    var cut = current.Length - 1;
                    while (cut > 1 && Measure(current[..cut], font) > width) cut--;
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
