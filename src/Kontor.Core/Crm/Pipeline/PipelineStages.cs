using Kontor.Common;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm.Pipeline;

/// <param name="Id">Null for a new stage.</param>
public sealed record StageInput(Guid? Id, string? Name, int? Probability, StageKind? Kind);

/// <summary>
/// The company-wide list of pipeline stages. Saving the list sets their order; a stage left out is deleted when
/// no opportunity is in it or ever was (its history), else archived (hidden from the board, kept for history).
/// </summary>
public sealed class PipelineStageService(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit)
{
    public async Task<IReadOnlyList<PipelineStage>> ListAsync(bool includeArchived = false, CancellationToken ct = default) =>
        await db.PipelineStages.AsNoTracking().Where(s => includeArchived || !s.IsArchived).OrderBy(s => s.Position).ToListAsync(ct);

    public async Task<IReadOnlyList<PipelineStage>> SaveAsync(IReadOnlyList<StageInput?>? stages, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var list = stages ?? [];
        errors.Require(list.Count is > 0 and <= 30, "stages", "Give between 1 and 30 stages.");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < list.Count; i++)
        {
            var s = list[i];
            if (s is null) { errors.Add($"stages[{i}]", "stage is required."); continue; }
            var name = errors.Text(s.Name, $"stages[{i}].name", 100);
            if (name is not null && !names.Add(name)) errors.Add($"stages[{i}].name", $"Stage name '{name}' is used twice.");
            errors.Require(s.Probability is >= 0 and <= 100, $"stages[{i}].probability", "probability must be between 0 and 100.");
            errors.Require(s.Kind is not null && Enum.IsDefined(s.Kind.Value), $"stages[{i}].kind", "kind must be Open, Won or Lost.");
        }
        foreach (var kind in Enum.GetValues<StageKind>())
            errors.Require(list.Any(s => s?.Kind == kind), "stages", $"The pipeline needs at least one {kind} stage.");
        errors.ThrowIfAny();

        return await unitOfWork.ExecuteAsync(async token =>
        {
            var existing = await db.PipelineStages.ToListAsync(token);
            foreach (var (input, position) in list.Select((s, i) => (s!, i + 1)))
            {
                var stage = input.Id is { } id
                    ? existing.FirstOrDefault(s => s.Id == id) ?? throw new ValidationException($"stages[{position - 1}].id", $"Stage {id} does not exist.")
                    : null;
                if (stage is null) { stage = new PipelineStage(); db.PipelineStages.Add(stage); }
                stage.Name = input.Name!.Trim();
                stage.Probability = input.Probability!.Value;
                stage.Kind = input.Kind!.Value;
                stage.Position = position;
                stage.IsArchived = false;
            }
            var kept = list.Where(s => s!.Id is not null).Select(s => s!.Id!.Value).ToHashSet();
            foreach (var gone in existing.Where(s => !kept.Contains(s.Id)))
            {
                var used = await db.Opportunities.AnyAsync(o => o.StageId == gone.Id, token)
                           || await db.OpportunityStageChanges.AnyAsync(c => c.ToStageId == gone.Id || c.FromStageId == gone.Id, token);
                if (used)
                {
                    if (await db.Opportunities.AnyAsync(o => o.StageId == gone.Id, token))
                        throw new ConflictException($"Stage '{gone.Name}' still holds opportunities; move them to another stage first.");
                    gone.IsArchived = true;
                    gone.Position = 1000 + gone.Position;
                }
                else db.PipelineStages.Remove(gone);
            }
            audit.Record("pipeline.stages-saved", nameof(PipelineStage), Guid.Empty, new { stages = list.Select(s => new { s!.Name, s.Probability, kind = s.Kind.ToString() }) });
            await db.SaveChangesAsync(token);
            return await db.PipelineStages.AsNoTracking().Where(s => !s.IsArchived).OrderBy(s => s.Position).ToListAsync(token);
        }, ct);
    }
}
