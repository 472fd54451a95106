using System.Runtime.CompilerServices;
using Kontor.Common;

namespace Kontor;

/// <summary>Collects field errors of one command so the caller learns every problem at once, not one per try.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> errors = new();

    public bool Any => errors.Count > 0;

    /// <summary>A field's error, said in the reader's language (<see cref="Messages"/>).</summary>
    public void Add(string field, string message) => Keep(field, Messages.Translate(message));

    public void Add(string field, MessageTemplate message) => Keep(field, message.ToString());

    public void Require(bool condition, string field, string message)
    {
        if (!condition) Add(field, message);
    }

    public void Require(bool condition, string field, [InterpolatedStringHandlerArgument(nameof(condition))] MessageTemplate message)
    {
        if (!condition) Add(field, message);
    }

    private void Keep(string field, string said)
    {
        if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
        list.Add(said);
    }

    public string? Text(string? value, string field, int maxLength, bool required = true)
    {
        var trimmed = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        if (trimmed is null)
        {
            if (required) Add(field, $"{field} is required.");
            return null;
        }
        if (trimmed.Length > maxLength) Add(field, $"{field} must be at most {maxLength} characters.");
        return trimmed;
    }

    /// <summary>Runs a parser that throws <see cref="ValidationException"/> and keeps its messages.</summary>
    public T? Try<T>(Func<T> parse)
    {
        try { return parse(); }
        catch (ValidationException ex) { Keep(ex); return default; }
    }

    public async Task<T?> TryAsync<T>(Func<Task<T>> parse)
    {
        try { return await parse(); }
        catch (ValidationException ex) { Keep(ex); return default; }
    }

    private void Keep(ValidationException ex)
    {
        foreach (var (field, messages) in ex.Errors)
            foreach (var m in messages) Keep(field, m);
    }

    public void ThrowIfAny()
    {
        if (Any) throw new ValidationException(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }
}

