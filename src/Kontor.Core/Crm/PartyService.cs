using System.Net.Mail;
using Kontor.Common;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm;

public sealed record AddressInput(string? Street, string? PostalCode, string? City, string? CountryCode);

public sealed record ContactInput(string? FirstName, string? LastName, string? Position, string? Email, string? Phone);

public sealed record CreateParty(
    PartyKind Kind,
    string? Name,
    TaxIdKind TaxIdKind,
    string? TaxId,
    AddressInput? Address,
    string? Email,
    string? Phone,
    int? PaymentTermDays,
    decimal? CreditLimit,
    string? CreditLimitCurrency,
    string? PriceGroup,
    IReadOnlyList<ContactInput>? Contacts,
    string? Kpp = null,
    string? DocumentLanguage = null);

public sealed record PartyListItem(Guid Id, PartyKind Kind, string Name, string? TaxId, string? City, string? Email);

/// <summary>A created party and the existing ones it may duplicate (a warning: e-mail, phone, similar name + city).</summary>
public sealed record PartyCreated(Party Party, IReadOnlyList<Duplicates.DuplicateCandidate> PossibleDuplicates);

/// <summary>
/// A party with the same tax identity exists (409, code "duplicate-party"): nothing was written. Creating it anyway
/// needs an explicit confirmation (a branch sharing its head office's NIP, a Russian branch with the same INN and its own КПП).
/// </summary>
public sealed class DuplicatePartyException(IReadOnlyList<Duplicates.DuplicateCandidate> candidates, int? index = null)
    : Exception((index is null ? "" : $"parties[{index}]: ") +
        Messages.Format("A party with the same tax id already exists: {0}. Open it, or confirm to create another party with this tax id.",
            string.Join(", ", candidates.Where(c => c.SameTaxId).Select(c => $"{c.Name} ({c.TaxId})"))))
{
    public const string Code = "duplicate-party";
    public IReadOnlyList<Duplicates.DuplicateCandidate> Candidates { get; } = candidates;
    /// <summary>Which party of a <see cref="PartyService.CreateManyCheckedAsync"/> call was refused (null for a single one).</summary>
    public int? Index { get; } = index;
}

public sealed class PartyService(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider clock, Company.CompanyProfileProvider company,
    Duplicates.DuplicateDetector duplicates)
{
    /// <summary>
    /// Creates a party; the same tax identity as an existing party is refused with a <see cref="ConflictException"/>, as
    /// it always was for the callers of this method (the API and the New customer page use <see cref="CreateCheckedAsync"/>).
    /// </summary>
    public async Task<Party> CreateAsync(CreateParty command, CancellationToken ct = default)
    {
        try { return (await CreateCheckedAsync(command, confirmDuplicate: false, ct)).Party; }
        catch (DuplicatePartyException ex) { throw new ConflictException(ex.Message); }
    }

    /// <summary>Most parties <see cref="CreateManyCheckedAsync"/> takes at once.</summary>
    public const int MaxBatch = 500;

    /// <summary>
    /// Creates a party and reports the existing parties it may duplicate. The same tax identity (NIP = PL EU VAT number,
    /// INN, PESEL…) is refused unless <paramref name="confirmDuplicate"/>; other resemblances are only reported.
    /// </summary>
    public async Task<PartyCreated> CreateCheckedAsync(CreateParty command, bool confirmDuplicate, CancellationToken ct = default) =>
        (await CreateCoreAsync([command], confirmDuplicate, batch: false, ct))[0];

    /// <summary>
    /// Creates several parties in one unit of work (joining the caller's, if any), in the order given: each gets exactly
    /// what <see cref="CreateCheckedAsync"/> gives it (defaults, match keys, audit record with its possible duplicates),
    /// and a later party's duplicate check sees the earlier ones of the call as if they had been saved. All or nothing:
    /// a bad field (named <c>parties[3].taxId</c>) or, without <paramref name="confirmDuplicate"/>, a party with a tax
    /// identity that exists already or appears earlier in the call (<see cref="DuplicatePartyException.Index"/>) writes
    /// none of them. Reads: the company settings, the price groups (when one is asked for) and the duplicate candidates
    /// of all parties (<see cref="Duplicates.DuplicateDetector.FindManyAsync"/>) — a fixed number of queries, not one per party.
    /// </summary>
    public async Task<IReadOnlyList<PartyCreated>> CreateManyCheckedAsync(IReadOnlyList<CreateParty> commands, bool confirmDuplicate, CancellationToken ct = default)
    {
        if (commands is null || commands.Count == 0) throw new ValidationException("parties", "Give at least one party.");
        if (commands.Count > MaxBatch) throw new ValidationException("parties", $"At most {MaxBatch} parties can be created at once.");
        return await CreateCoreAsync(commands, confirmDuplicate, batch: true, ct);
    }

    private async Task<IReadOnlyList<PartyCreated>> CreateCoreAsync(IReadOnlyList<CreateParty> commands, bool confirmDuplicate, bool batch, CancellationToken ct)
    {
        // A party created without a payment term gets the company's default (settings).
        var defaultTerm = (await company.GetAsync(ct)).DefaultPaymentTermDays;
        IReadOnlyList<string>? priceGroups = null;
        var parties = new List<Party>(commands.Count);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < commands.Count; i++)
        {
            if (commands[i] is null) { errors[batch ? $"parties[{i}]" : "body"] = [Messages.Translate("A party is required.")]; continue; }
            // A single call throws the rules' own exception (its fields unprefixed, as always); a batch names the item.
            try
            {
                var party = ValidateNew(commands[i], defaultTerm);
                // A price group is one of the defined groups (any letter case), stored as the group spells it.
                if (!string.IsNullOrWhiteSpace(party.PriceGroup))
                    party.PriceGroup = Catalog.Pricing.PriceListService.ResolvePriceGroupName(
                        priceGroups ??= await Catalog.Pricing.PriceListService.PriceGroupNamesAsync(db, ct), party.PriceGroup);
                parties.Add(party);
            }
            catch (ValidationException e) when (batch)
            {
                foreach (var (field, messages) in e.Errors) errors[$"parties[{i}].{field}"] = messages;
            }
        }
        if (errors.Count > 0) throw new ValidationException(errors);

        var keys = parties.Select(Duplicates.PartyKeys.Of).ToList();
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var found = await duplicates.FindManyAsync(keys, token);
            // Every refusal is known before anything is added: inside a caller's unit of work nothing is left in the context either.
            if (!confirmDuplicate)
                for (var i = 0; i < parties.Count; i++)
                    if (found[i].Any(c => c.SameTaxId)) throw new DuplicatePartyException(found[i], batch ? i : null);
            var created = new List<PartyCreated>(parties.Count);
            for (var i = 0; i < parties.Count; i++)
            {
                var (party, candidates) = (parties[i], found[i]);
                db.Parties.Add(party);
                audit.Record("party.created", nameof(Party), party.Id, new
                {
                    party.Name, party.TaxId,
                    possibleDuplicates = candidates.Count == 0 ? null : candidates.Select(c => new { c.PartyId, reasons = c.Reasons.Select(r => r.ToString()) }),
                });
                created.Add(new PartyCreated(party, candidates));
            }
            return created;
        }, ct);
    }

    public async Task<Contact> AddContactAsync(Guid partyId, ContactInput input, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var contact = ValidateContact(input, partyId, "", errors);
        errors.ThrowIfAny();
        await unitOfWork.ExecuteAsync(async token =>
        {
            if (!await db.Parties.AnyAsync(p => p.Id == partyId, token)) throw new NotFoundException("Party", partyId);
            db.Contacts.Add(contact!);
            audit.Record("contact.created", nameof(Contact), contact!.Id, new { partyId, contact.FirstName, contact.LastName });
            return 0;
        }, ct);
        return contact!;
    }

    /// <summary>
    /// Sets the language this party's documents print in when a download names none (pl, en, ru);
    /// empty clears it, so the company's default applies again.
    /// </summary>
    public async Task<Party> SetDocumentLanguageAsync(Guid id, string? language, CancellationToken ct = default)
    {
        var parsed = Documents.DocumentLanguages.ParseOptional(language, "documentLanguage");
        await unitOfWork.ExecuteAsync(async token =>
        {
            var party = await db.Parties.FirstOrDefaultAsync(p => p.Id == id, token) ?? throw new NotFoundException("Party", id);
            var before = party.DocumentLanguage;
            party.DocumentLanguage = parsed;
            party.Version = Guid.NewGuid();
            audit.Record("party.document-language-changed", nameof(Party), party.Id,
                new { before = before?.ToString().ToLowerInvariant(), after = parsed?.ToString().ToLowerInvariant() });
            return 0;
        }, ct);
        return await GetAsync(id, ct);
    }

    /// <summary>Sets (or with null clears) how the customer prefers to pay.</summary>
    public async Task<Party> SetPreferredPaymentMethodAsync(Guid id, PaymentMethod? method, CancellationToken ct = default)
    {
        if (method is { } m && !Enum.IsDefined(m))
            throw new ValidationException("preferredPaymentMethod", "preferredPaymentMethod must be BankTransfer, Cash, Card, Online or CashOnDelivery.");
        await unitOfWork.ExecuteAsync(async token =>
        {
            var party = await db.Parties.FirstOrDefaultAsync(p => p.Id == id, token) ?? throw new NotFoundException("Party", id);
            var before = party.PreferredPaymentMethod;
            party.PreferredPaymentMethod = method;
            party.Version = Guid.NewGuid();
            audit.Record("party.payment-method-changed", nameof(Party), party.Id, new { before = before?.ToString(), after = method?.ToString() });
            return 0;
        }, ct);
        return await GetAsync(id, ct);
    }

    public async Task<Party> GetAsync(Guid id, CancellationToken ct = default) =>
        await db.Parties.AsNoTracking().Include(p => p.Contacts).FirstOrDefaultAsync(p => p.Id == id, ct)
        ?? throw new NotFoundException("Party", id);

    public async Task<IReadOnlyList<PartyListItem>> ListAsync(string? search, int skip = 0, int take = 100, CancellationToken ct = default)
    {
        // Merged parties are kept for history, not listed: their documents are the survivor's now.
        var query = Segmentation.PartyListQuery.WhereMatches(db.Parties.AsNoTracking().Where(p => p.Status == PartyStatus.Active), search);
        return await query.OrderBy(p => p.Name).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500))
            .Select(p => new PartyListItem(p.Id, p.Kind, p.Name, p.TaxId, p.Address.City, p.Email))
            .ToListAsync(ct);
    }

    /// <summary>The party rules, without touching the database: a new party or a <see cref="ValidationException"/> naming every bad field. The import validates its rows with it.</summary>
    public Party ValidateNew(CreateParty c, int defaultPaymentTermDays)
    {
        var errors = new ValidationErrors();
        var name = errors.Text(c.Name, "name", 200);
        errors.Require(Enum.IsDefined(c.Kind), "kind", "kind must be Company or Person.");
        errors.Require(Enum.IsDefined(c.TaxIdKind), "taxIdKind", "taxIdKind is not a known kind of tax identifier.");
        var taxIdKind = c.TaxIdKind;
        if (taxIdKind == TaxIdKind.None && !string.IsNullOrWhiteSpace(c.TaxId))
            taxIdKind = c.Kind == PartyKind.Company ? TaxIdKind.Nip : TaxIdKind.Pesel;
        var taxId = Enum.IsDefined(taxIdKind) ? errors.Try(() => TaxIdentifiers.Normalize(taxIdKind, c.TaxId, "taxId")) : null;
        string? kpp = null;
        if (!string.IsNullOrWhiteSpace(c.Kpp))
        {
            kpp = errors.Try(() => Kpp.Parse(c.Kpp, "kpp").Value);
            errors.Require(taxIdKind == TaxIdKind.Inn && taxId?.Length == 10, "kpp", "kpp (КПП) goes with a Russian organisation's 10-digit INN; set taxIdKind to Inn.");
        }
        var email = NormalizeEmail(c.Email, "email", errors);
        var phone = errors.Text(c.Phone, "phone", 40, required: false);
        var term = c.PaymentTermDays ?? defaultPaymentTermDays;
        errors.Require(term is >= 0 and <= 365, "paymentTermDays", "paymentTermDays must be between 0 and 365.");
        errors.Require(c.CreditLimit is null or >= 0, "creditLimit", "creditLimit cannot be negative.");
        errors.Require(c.CreditLimit is null || c.CreditLimit < Sales.InvoiceService.MaxAmount, "creditLimit", "creditLimit is too large.");
        var limitCurrency = errors.Try(() => Currency.Parse(c.CreditLimitCurrency ?? "PLN")).Code ?? "PLN";
        var address = ValidateAddress(c.Address, errors);
        var documentLanguage = errors.Try(() => Documents.DocumentLanguages.ParseOptional(c.DocumentLanguage, "documentLanguage"));
        var contacts = new List<Contact>();
        var id = Guid.CreateVersion7();
        for (var i = 0; i < (c.Contacts?.Count ?? 0); i++)
        {
            var contact = ValidateContact(c.Contacts![i], id, $"contacts[{i}].", errors);
            if (contact is not null) contacts.Add(contact);
        }
        errors.ThrowIfAny();
        return new Party
        {
            Id = id,
            Kind = c.Kind,
            Name = name!,
            TaxIdKind = taxId is null ? TaxIdKind.None : taxIdKind,
            TaxId = taxId,
            Kpp = kpp,
            Address = address,
            Email = email,
            Phone = phone,
            PaymentTermDays = term,
            CreditLimit = c.CreditLimit is null ? null : Money.RoundToMinorUnits(c.CreditLimit.Value, Currency.Parse(limitCurrency)),
            CreditLimitCurrency = limitCurrency,
            PriceGroup = errors.Text(c.PriceGroup, "priceGroup", 50, required: false),
            DocumentLanguage = documentLanguage,
            CreatedAt = clock.GetUtcNow(),
            Contacts = contacts,
        };
    }

    private static Address ValidateAddress(AddressInput? input, ValidationErrors errors)
    {
        var country = (input?.CountryCode ?? "PL").Trim().ToUpperInvariant();
        errors.Require(country.Length == 2 && country.All(char.IsAsciiLetterUpper), "address.countryCode", "address.countryCode must be a two-letter ISO 3166 code.");
        return new Address
        {
            Street = errors.Text(input?.Street, "address.street", 200, required: false),
            PostalCode = errors.Text(input?.PostalCode, "address.postalCode", 20, required: false),
            City = errors.Text(input?.City, "address.city", 100, required: false),
            CountryCode = country,
        };
    }

    private static Contact? ValidateContact(ContactInput? input, Guid partyId, string prefix, ValidationErrors errors)
    {
        if (input is null) { errors.Add(prefix + "firstName", "contact is required."); return null; }
        var first = errors.Text(input.FirstName, prefix + "firstName", 100);
        var last = errors.Text(input.LastName, prefix + "lastName", 100);
        return new Contact
        {
            PartyId = partyId,
            FirstName = first ?? "",
            LastName = last ?? "",
            Position = errors.Text(input.Position, prefix + "position", 100, required: false),
            Email = NormalizeEmail(input.Email, prefix + "email", errors),
            Phone = errors.Text(input.Phone, prefix + "phone", 40, required: false),
        };
    }

    private static string? NormalizeEmail(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var trimmed = value.Trim();
        if (trimmed.Length > 254 || !MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed || !trimmed.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(field, $"{field} is not a valid e-mail address.");
            return null;
        }
        return trimmed.ToLowerInvariant();
    }
}
