using Kontor.Common;
using Microsoft.AspNetCore.Identity;

namespace Kontor.Web.Hosting;

/// <summary>
/// Identity's refusals of a user (a short password, a malformed or taken e-mail) in the reader's language: an administrator
/// sees them as field errors of the user they create. The English is Identity's own, word for word.
/// </summary>
public sealed class IdentityMessages : IdentityErrorDescriber
{
    public override IdentityError DefaultError() =>
        Said(base.DefaultError(), Messages.Translate("An unknown failure has occurred."));

    public override IdentityError ConcurrencyFailure() =>
        Said(base.ConcurrencyFailure(), Messages.Translate("Optimistic concurrency failure, object has been modified."));

    public override IdentityError InvalidUserName(string? userName) =>
        Said(base.InvalidUserName(userName), Messages.Format("Username '{0}' is invalid, can only contain letters or digits.", userName));

    public override IdentityError InvalidEmail(string? email) =>
        Said(base.InvalidEmail(email), Messages.Format("Email '{0}' is invalid.", email));

    public override IdentityError DuplicateUserName(string userName) =>
        Said(base.DuplicateUserName(userName), Messages.Format("Username '{0}' is already taken.", userName));

    public override IdentityError DuplicateEmail(string email) =>
        Said(base.DuplicateEmail(email), Messages.Format("Email '{0}' is already taken.", email));

    public override IdentityError PasswordTooShort(int length) =>
        Said(base.PasswordTooShort(length), Messages.Format("Passwords must be at least {0} characters.", length));

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        Said(base.PasswordRequiresUniqueChars(uniqueChars), Messages.Format("Passwords must use at least {0} different characters.", uniqueChars));

    public override IdentityError PasswordRequiresNonAlphanumeric() =>
        Said(base.PasswordRequiresNonAlphanumeric(), Messages.Translate("Passwords must have at least one non alphanumeric character."));

    public override IdentityError PasswordRequiresDigit() =>
        Said(base.PasswordRequiresDigit(), Messages.Translate("Passwords must have at least one digit ('0'-'9')."));

    public override IdentityError PasswordRequiresLower() =>
        Said(base.PasswordRequiresLower(), Messages.Translate("Passwords must have at least one lowercase ('a'-'z')."));

    public override IdentityError PasswordRequiresUpper() =>
        Said(base.PasswordRequiresUpper(), Messages.Translate("Passwords must have at least one uppercase ('A'-'Z')."));

    /// <summary>Identity's error with its code kept (UserAccounts sorts by it) and its description said for the reader.</summary>
    private static IdentityError Said(IdentityError english, string said) => new() { Code = english.Code, Description = said };
}
