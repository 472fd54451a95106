using System.Text;
using Kontor.Common;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm.Segmentation;

/// <summary>A company-defined customer segment ("Key account", "SMB", "Retail"); a party belongs to at most one.</summary>
public sealed class Segment
{
    public const int MaxNameLength = 50;
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A free tag on a party: lower-case, many per party; (Tag, PartyId) is indexed for "all of these tags" filters.</summary>
public sealed class PartyTag
{
    public const int MaxLength = 40;
    /// <summary>A key of its own, so a party merge can move a tag row to another party (PartyId is not part of the key).</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid PartyId { get; init; }
    public string Tag { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed record TagCount(string Tag, int Count);

/// <summary>The party's segment and tags, as the card header shows them.</summary>
public sealed record PartyLabels(Guid PartyId, Guid? SegmentId, string? Segment, IReadOnlyList<string> Tags);

internal static class SegmentationModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<Segment>(e =>
        {
            e.ToTable("Segments");
            e.Property(x => x.Name).HasMaxLength(Segment.MaxNameLength);
            e.HasIndex(x => x.Name).IsUnique();
        });
        b.Entity<Party>(e =>
        {
            e.HasIndex(x => x.SegmentId);
            e.HasOne<Segment>().WithMany().HasForeignKey(x => x.SegmentId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<PartyTag>(e =>
        {
            e.ToTable("PartyTags");
            e.HasIndex(x => new { x.PartyId, x.Tag }).IsUnique();
            e.Property(x => x.Tag).HasMaxLength(PartyTag.MaxLength);
            // The list filter asks "which parties carry tag T": the tag leads.
            e.HasIndex(x => new { x.Tag, x.PartyId });
            e.HasOne<Party>().WithMany().HasForeignKey(x => x.PartyId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<SavedFilter>(e =>
        {
            e.ToTable("SavedFilters");
            e.Property(x => x.Name).HasMaxLength(SavedFilter.MaxNameLength);
            e.Property(x => x.FilterJson).HasMaxLength(4000);
            e.HasIndex(x => new { x.OwnerUserId, x.Name }).IsUnique();
            e.HasIndex(x => x.Shared);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
    }
}

/// <summary>Segments (a list managed in Settings) and free tags on parties.</summary>
public sealed class SegmentationService(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider clock)
{
    /// <summary>
    /// A tag as stored: trimmed, lower-case (invariant), inner whitespace runs become one '-'; letters, digits and - _ . only;
    /// 1–40 characters. "Key Account" and " key-account " are the same tag.
    /// </summary>
    public static string NormalizeTag(string? raw, string field = "tag")
    {
        var trimmed = raw?.Trim() ?? "";
        var sb = new StringBuilder();
        var pendingDash = false;
        foreach (var c in trimmed.ToLowerInvariant())
        {
            if (char.IsWhiteSpace(c)) { pendingDash = true; continue; }
            if (pendingDash && sb.Length > 0) sb.Append('-');
            pendingDash = false;
            if (!(char.IsLetterOrDigit(c) || c is '-' or '_' or '.'))
                throw new ValidationException(field, $"{field} may hold letters, digits, '-', '_' and '.' only (not '{c}').");
            sb.Append(c);
        }
        var tag = sb.ToString();
        if (tag.Length == 0) throw new ValidationException(field, $"{field} is required.");
        if (tag.Length > PartyTag.MaxLength) throw new ValidationException(field, $"{field} must be at most {PartyTag.MaxLength} characters.");
        return tag;
    }

    public async Task<IReadOnlyList<Segment>> ListSegmentsAsync(CancellationToken ct = default) =>
        await db.Set<Segment>().AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);

    public async Task<Segment> CreateSegmentAsync(string? name, CancellationToken ct = default)
    {
        var valid = ValidSegmentName(name);
        var segment = new Segment { Name = valid, CreatedAt = clock.GetUtcNow() };
        await unitOfWork.ExecuteAsync(async token =>
        {
            await RefuseDuplicateAsync(valid, null, token);
            db.Set<Segment>().Add(segment);
            audit.Record("segment.created", nameof(Segment), segment.Id, new { segment.Name });
            return 0;
        }, ct);
        return segment;
    }

    public async Task<Segment> RenameSegmentAsync(Guid id, string? name, CancellationToken ct = default)
    {
        var valid = ValidSegmentName(name);
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var segment = await db.Set<Segment>().FirstOrDefaultAsync(s => s.Id == id, token) ?? throw new NotFoundException("Segment", id);
            await RefuseDuplicateAsync(valid, id, token);
            audit.Record("segment.renamed", nameof(Segment), id, new { before = segment.Name, after = valid });
            segment.Name = valid;
            return segment;
        }, ct);
    }

    /// <summary>Deleting a segment parties still belong to is refused (409) with their number: move them first.</summary>
    public async Task DeleteSegmentAsync(Guid id, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var segment = await db.Set<Segment>().FirstOrDefaultAsync(s => s.Id == id, token) ?? throw new NotFoundException("Segment", id);
            var members = await db.Parties.CountAsync(p => p.SegmentId == id, token);
            if (members == 1) throw new ConflictException($"Segment '{segment.Name}' still has 1 party; move them to another segment first.");
            if (members > 1) throw new ConflictException($"Segment '{segment.Name}' still has {members} parties; move them to another segment first.");
            db.Set<Segment>().Remove(segment);
            audit.Record("segment.deleted", nameof(Segment), id, new { segment.Name });
            return 0;
        }, ct);

    /// <summary>Puts the party into a segment; null takes it out of any.</summary>
    public async Task<PartyLabels> SetSegmentAsync(Guid partyId, Guid? segmentId, CancellationToken ct = default)
    {
        await unitOfWork.ExecuteAsync(async token =>
        {
            var party = await db.Parties.FirstOrDefaultAsync(p => p.Id == partyId, token) ?? throw new NotFoundException("Party", partyId);
            if (segmentId is { } id && !await db.Set<Segment>().AnyAsync(s => s.Id == id, token))
                throw new ValidationException("segmentId", "segmentId is not one of the company's segments.");
            if (party.SegmentId == segmentId) return 0;
            audit.Record("party.segment-changed", nameof(Party), partyId, new { before = party.SegmentId, after = segmentId });
            party.SegmentId = segmentId;
            party.Version = Guid.NewGuid();
            return 0;
        }, ct);
        return await LabelsAsync(partyId, ct);
    }

    /// <summary>Adds a tag (normalised); adding one the party already has changes nothing.</summary>
    public async Task<PartyLabels> AddTagAsync(Guid partyId, string? tag, CancellationToken ct = default)
    {
        var normalized = NormalizeTag(tag);
        try
        {
            await unitOfWork.ExecuteAsync(async token =>
            {
                if (!await db.Parties.AnyAsync(p => p.Id == partyId, token)) throw new NotFoundException("Party", partyId);
                if (await db.Set<PartyTag>().AnyAsync(t => t.PartyId == partyId && t.Tag == normalized, token)) return 0;
                db.Set<PartyTag>().Add(new PartyTag { PartyId = partyId, Tag = normalized, CreatedAt = clock.GetUtcNow() });
                audit.Record("party.tag-added", nameof(Party), partyId, new { tag = normalized });
                return 0;
            }, ct);
        }
        catch (DbUpdateException)
        {
            // Two users adding the same tag at once (PostgreSQL): the unique index let one win, which is the wanted result.
            db.ChangeTracker.Clear();
            if (!await db.Set<PartyTag>().AsNoTracking().AnyAsync(t => t.PartyId == partyId && t.Tag == normalized, ct)) throw;
        }
        return await LabelsAsync(partyId, ct);
    }

    /// <summary>Removes a tag; removing one the party does not have changes nothing.</summary>
    public async Task<PartyLabels> RemoveTagAsync(Guid partyId, string? tag, CancellationToken ct = default)
    {
        var normalized = NormalizeTag(tag);
        await unitOfWork.ExecuteAsync(async token =>
        {
            if (!await db.Parties.AnyAsync(p => p.Id == partyId, token)) throw new NotFoundException("Party", partyId);
            var existing = await db.Set<PartyTag>().FirstOrDefaultAsync(t => t.PartyId == partyId && t.Tag == normalized, token);
            if (existing is null) return 0;
            db.Set<PartyTag>().Remove(existing);
            audit.Record("party.tag-removed", nameof(Party), partyId, new { tag = normalized });
            return 0;
        }, ct);
        return await LabelsAsync(partyId, ct);
    }

    public async Task<PartyLabels> LabelsAsync(Guid partyId, CancellationToken ct = default)
    {
        var party = await db.Parties.AsNoTracking().Where(p => p.Id == partyId).Select(p => new { p.Id, p.SegmentId }).FirstOrDefaultAsync(ct)
                    ?? throw new NotFoundException("Party", partyId);
        var segment = party.SegmentId is { } sid ? await db.Set<Segment>().AsNoTracking().Where(s => s.Id == sid).Select(s => s.Name).FirstOrDefaultAsync(ct) : null;
        var tags = await db.Set<PartyTag>().AsNoTracking().Where(t => t.PartyId == partyId).OrderBy(t => t.Tag).Select(t => t.Tag).ToListAsync(ct);
        return new PartyLabels(party.Id, party.SegmentId, segment, tags);
    }

    /// <summary>Every tag in use with the number of parties carrying it, most used first.</summary>
    public async Task<IReadOnlyList<TagCount>> TagCountsAsync(CancellationToken ct = default)
    {
        var counts = await db.Set<PartyTag>().AsNoTracking().GroupBy(t => t.Tag).Select(g => new { Tag = g.Key, Count = g.Count() }).ToListAsync(ct);
        return counts.OrderByDescending(c => c.Count).ThenBy(c => c.Tag, StringComparer.Ordinal).Select(c => new TagCount(c.Tag, c.Count)).ToList();
    }

    private static string ValidSegmentName(string? name)
    {
        var errors = new ValidationErrors();
        var valid = errors.Text(name, "name", Segment.MaxNameLength);
        errors.ThrowIfAny();
        return valid!;
    }

    private async Task RefuseDuplicateAsync(string name, Guid? except, CancellationToken ct)
    {
        var lower = name.ToLower();
        if (await db.Set<Segment>().AnyAsync(s => s.Name.ToLower() == lower && s.Id != except, ct))
            throw new ConflictException($"A segment named '{name}' already exists.");
    }
}
