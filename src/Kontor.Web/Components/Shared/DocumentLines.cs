using Kontor.Common;
using Kontor.Sales;

namespace Kontor.Web.Components.Shared;

/// <summary>Why the live totals leave something out; <see cref="DocumentTotals"/> puts it into words.</summary>
public enum PreviewGap
{
    None,
    /// <summary>The service prices for a customer, so there is nothing to show before one is chosen.</summary>
    NoCustomer,
    /// <summary>Some lines are still being typed or were refused, and are not counted.</summary>
    IncompleteLines,
    /// <summary>The service refused the document as a whole; <see cref="DocumentLines.Refusal"/> says why.</summary>
    Refused,
}

/// <summary>
/// The lines of an invoice or offer being edited, with their live totals. The figures come from the
/// document's own service (passed in as <c>preview</c>); this only decides which lines to send and keeps
/// the screen up to date while the person types.
/// </summary>
/// <param name="customerChosen">Asked on every refresh, so a customer picked a moment ago counts.</param>
/// <param name="preview">Computes the totals of the document with these lines, e.g. through InvoiceService.PreviewAsync.</param>
/// <param name="changed">Re-renders the page after each preview.</param>
public sealed class DocumentLines(
    Func<bool> customerChosen,
    Func<IReadOnlyList<InvoiceLineInput>, Task<InvoiceTotals>> preview,
    Action changed)
{
    private bool previewRunning;
    private bool previewPending;

    public List<EditableLine> Items { get; } = [];
    public InvoiceTotals? Totals { get; private set; }
    public PreviewGap Gap { get; private set; }
    /// <summary>The service's messages when it refused the document as a whole.</summary>
    public string? Refusal { get; private set; }

    public IReadOnlyList<InvoiceLineInput> Inputs() => Items.Select(l => l.ToInput()).ToList();

    /// <summary>Recomputes the totals; changes that arrive while a preview runs are folded into one more run.</summary>
    public async Task RefreshAsync()
    {
        if (previewRunning) { previewPending = true; return; }
        previewRunning = true;
        try
        {
            do
            {
                previewPending = false;
                await PreviewAsync();
                changed();
            } while (previewPending);
        }
        finally { previewRunning = false; }
    }

    private async Task PreviewAsync()
    {
        Gap = PreviewGap.None;
        Refusal = null;
        foreach (var line in Items) { line.Result = null; line.Problem = null; }
        if (!customerChosen())
        {
            Totals = null;
            Gap = PreviewGap.NoCustomer;
            return;
        }
        var candidates = Items.Where(l => l.IsComplete).ToList();
        // Lines still being typed are left out; a line the service rejects is set aside and the rest is computed.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                var inputs = candidates.Select(l => l.ToInput()).ToList();
                var result = await preview(inputs);
                for (var k = 0; k < candidates.Count; k++) candidates[k].Result = result.Lines[k];
                Totals = result;
                if (candidates.Count < Items.Count) Gap = PreviewGap.IncompleteLines;
                return;
            }
            catch (ValidationException ex)
            {
                var rejected = new HashSet<int>();
                foreach (var (key, messages) in ex.Errors)
                {
                    var k = LineIndex(key);
                    if (k is null || k >= candidates.Count) continue;
                    rejected.Add(k.Value);
                    candidates[k.Value].Problem = string.Join(" ", messages);
                }
                if (rejected.Count == 0)
                {
                    Totals = null;
                    Gap = PreviewGap.Refused;
                    Refusal = string.Join(" ", ex.Errors.SelectMany(e => e.Value));
                    return;
                }
                candidates = candidates.Where((_, k) => !rejected.Contains(k)).ToList();
            }
        }
        Totals = null;
    }

    /// <summary>The line a service error is about: "lines[2].quantity" → 2.</summary>
    private static int? LineIndex(string key)
    {
        if (!key.StartsWith("lines[", StringComparison.Ordinal)) return null;
        var end = key.IndexOf(']');
        return end > 6 && int.TryParse(key.AsSpan(6, end - 6), out var k) ? k : null;
    }
}
