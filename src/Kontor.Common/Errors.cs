using System.Collections.ObjectModel;

namespace Kontor.Common;

/// <summary>Input is invalid; the web host maps it to 400 with per-field errors.</summary>
public class ValidationException : Exception
{
    public ValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public ValidationException(IDictionary<string, string[]> errors)
        : base(Summarise(errors))
    {
        Errors = new ReadOnlyDictionary<string, string[]>(
            errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
    }

    /// <summary>Field name → messages.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    private static string Summarise(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("At least one validation error is required.", nameof(errors));
        }

        var details = errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}");
        return $"Validation failed: {string.Join("; ", details)}";
    }
}

/// <summary>The requested entity does not exist (404).</summary>
public sealed class NotFoundException(string what, object id)
    : Exception($"{what} '{id}' was not found.")
{
    public string What { get; } = what;

    public object Id { get; } = id;
}

/// <summary>The request conflicts with the entity's current state (409), e.g. editing an issued invoice.</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>The signed-in user lacks the permission an action needs (403); the message names it.</summary>
public sealed class ForbiddenException(string permission, string message) : Exception(message)
{
    public string Permission { get; } = permission;
}

/// <summary>Money arithmetic was attempted across two currencies.</summary>
public sealed class CurrencyMismatchException(Currency left, Currency right)
    : InvalidOperationException($"Cannot combine amounts in {left} and {right}.")
{
    public Currency Left { get; } = left;

    public Currency Right { get; } = right;
}
