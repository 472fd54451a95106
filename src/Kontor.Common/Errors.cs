using System.Collections.ObjectModel;

namespace Kontor.Common;

/// <summary>Input is invalid; the web host maps it to 400 with per-field errors.</summary>
/// <remarks>A message is said in the reader's language (<see cref="Messages"/>); errors given as a dictionary are taken as
/// already said (<c>ValidationErrors</c> translates each as it is added).</remarks>
public class ValidationException : Exception
{
    public ValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [Messages.Translate(message)] })
    {
    }

    public ValidationException(string field, MessageTemplate message)
        : this(new Dictionary<string, string[]> { [field] = [message.ToString()] })
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

/// <summary>The requested entity does not exist (404). <see cref="What"/> is English (a type name); the message is said in
/// the reader's language.</summary>
public sealed class NotFoundException : Exception
{
    public NotFoundException(string what, object id)
        : base(Messages.Format("{0} '{1}' was not found.", Messages.Translate(what), id))
    {
        What = what;
        Id = id;
    }

    public NotFoundException(MessageTemplate what, object id)
        : base(Messages.Format("{0} '{1}' was not found.", what.ToString(), id))
    {
        What = string.Format(System.Globalization.CultureInfo.InvariantCulture, what.Template, what.Arguments);
        Id = id;
    }

    public string What { get; }

    public object Id { get; }
}

/// <summary>The request conflicts with the entity's current state (409), e.g. editing an issued invoice.</summary>
/// <remarks>The message is said in the reader's language (<see cref="Messages"/>).</remarks>
public sealed class ConflictException : Exception
{
    public ConflictException(string message) : base(Messages.Translate(message))
    {
    }

    public ConflictException(MessageTemplate message) : base(message.ToString())
    {
    }
}

/// <summary>The signed-in user lacks the permission an action needs (403); the message names it.</summary>
public sealed class ForbiddenException : Exception
{
    public ForbiddenException(string permission, string message) : base(Messages.Translate(message)) => Permission = permission;

    public ForbiddenException(string permission, MessageTemplate message) : base(message.ToString()) => Permission = permission;

    public string Permission { get; }
}

/// <summary>Money arithmetic was attempted across two currencies.</summary>
public sealed class CurrencyMismatchException(Currency left, Currency right)
    : InvalidOperationException($"Cannot combine amounts in {left} and {right}.")
{
    public Currency Left { get; } = left;

    public Currency Right { get; } = right;
}
