using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kontor.Crm.Import;

public enum ImportJobStatus { Running, Completed, Failed }

/// <summary>A running or finished background import: the UI polls it for progress and then shows the report.</summary>
public sealed class ImportJob(Guid id, string startedBy, string fileName)
{
    public Guid Id { get; } = id;
    public string StartedBy { get; } = startedBy;
    public string FileName { get; } = fileName;
    public ImportJobStatus Status { get; internal set; } = ImportJobStatus.Running;
    public int Processed { get; internal set; }
    public int Total { get; internal set; }
    public ImportReport? Report { get; internal set; }
    public string? Error { get; internal set; }
}

/// <summary>
/// Runs imports in the background (a large file takes longer than a request should), in their own DI scope, keeping
/// the last jobs in memory: a restart forgets the progress, not the data — every batch was committed or not at all.
/// </summary>
public sealed class PartyImportJobs(IServiceScopeFactory scopes, ILogger<PartyImportJobs> logger)
{
    private const int Kept = 50;
    private readonly ConcurrentDictionary<Guid, ImportJob> jobs = new();

    public ImportJob Start(byte[] file, string fileName, ImportOptions options, string startedBy)
    {
        var job = new ImportJob(Guid.CreateVersion7(), startedBy, fileName);
        jobs[job.Id] = job;
        foreach (var old in jobs.Values.Where(j => j.Status != ImportJobStatus.Running).OrderByDescending(j => j.Id).Skip(Kept).ToList())
            jobs.TryRemove(old.Id, out _);
        _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var import = scope.ServiceProvider.GetRequiredService<PartyCsvImport>();
                job.Report = await import.ImportAsync(file, options, new Progress(job));
                job.Processed = job.Total;
                job.Status = ImportJobStatus.Completed;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Party import {JobId} failed", job.Id);
                job.Error = ex is Common.ValidationException v ? string.Join(" ", v.Errors.SelectMany(e => e.Value)) : ex.Message;
                job.Status = ImportJobStatus.Failed;
            }
        });
        return job;
    }

    public ImportJob? Get(Guid id) => jobs.GetValueOrDefault(id);

    // Synchronous on purpose: System.Progress<T> would post to a captured context, and the job is read from other threads anyway.
    private sealed class Progress(ImportJob job) : IProgress<(int Processed, int Total)>
    {
        public void Report((int Processed, int Total) value) { job.Total = value.Total; job.Processed = value.Processed; }
    }
}
