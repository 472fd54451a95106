using System.Security.Cryptography;
using Kontor.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Commerce;

/// <summary>
/// Channel secrets at rest (<see cref="SalesChannel.Secret"/>, <see cref="SalesChannel.ApiSecret"/>): stored as ASP.NET Core
/// Data Protection payloads (purpose <see cref="Purpose"/>, keys in Kontor:KeysDirectory) with a "dp1:" marker. A value
/// without the marker is a plain-text secret saved before encryption: it is still read as it is, and
/// <see cref="ProtectStoredAsync"/> (run at startup) encrypts such values once. Losing the key ring means re-entering the
/// channels' secrets (docs/commerce.md, "Secrets at rest").
/// </summary>
public sealed class ChannelSecrets(IDataProtectionProvider provider)
{
    public const string Purpose = "Kontor.Commerce.ChannelSecrets";
    public const string Marker = "dp1:";
    private readonly IDataProtector protector = provider.CreateProtector(Purpose);

    public string? Protect(string? plain) => string.IsNullOrEmpty(plain) || IsProtected(plain) ? plain : Marker + protector.Protect(plain);

    public static bool IsProtected(string? stored) => stored is not null && stored.StartsWith(Marker, StringComparison.Ordinal);

    /// <summary>The plain secret; throws <see cref="CryptographicException"/> when the key ring that protected it is gone.</summary>
    public string? Reveal(string? stored) => IsProtected(stored) ? protector.Unprotect(stored![Marker.Length..]) : stored;

    /// <summary>The plain secret, or null when it cannot be decrypted (keys lost: the secret must be entered again).</summary>
    public string? TryReveal(string? stored)
    {
        try { return Reveal(stored); }
        catch (CryptographicException) { return null; }
    }

    /// <summary>
    /// Signs a call to the shop's REST API with the channel's credentials — WooCommerce: Basic with the consumer key and
    /// secret; Shopify: X-Shopify-Access-Token (the API secret). The one place the outbound connectors and the catch-up
    /// pull take the credentials from.
    /// </summary>
    public void AuthorizeShopCall(HttpRequestMessage request, SalesChannel channel)
    {
        if (channel.Type == ChannelType.Shopify) request.Headers.Add("X-Shopify-Access-Token", Reveal(channel.ApiSecret) ?? "");
        else request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{channel.ApiKey}:{Reveal(channel.ApiSecret)}")));
    }

    /// <summary>"••••ab12" of the plain secret; "••••?" when it cannot be decrypted.</summary>
    public string Mask(string? stored) => string.IsNullOrEmpty(stored) ? "" : TryReveal(stored) is { } plain ? SalesChannel.Mask(plain) : "••••?";

    /// <summary>Encrypts secrets still stored in plain text (from before encryption at rest); a no-op once done.</summary>
    public async Task<int> ProtectStoredAsync(KontorDbContext db, CancellationToken ct = default)
    {
        var channels = await db.SalesChannels.Where(c => (c.Secret != "" && !c.Secret.StartsWith(Marker)) || (c.ApiSecret != null && c.ApiSecret != "" && !c.ApiSecret.StartsWith(Marker)))
            .ToListAsync(ct);
        foreach (var channel in channels)
        {
            channel.Secret = Protect(channel.Secret)!;
            channel.ApiSecret = Protect(channel.ApiSecret);
        }
        if (channels.Count > 0) await db.SaveChangesAsync(ct);
        return channels.Count;
    }
}
