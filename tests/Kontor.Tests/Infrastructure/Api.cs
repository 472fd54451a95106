using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace Kontor.Tests.Infrastructure;

/// <summary>Thin JSON helpers over HttpClient; every helper checks the status so a failure says what the server answered.</summary>
public static class Api
{
    public static async Task<(HttpStatusCode Status, JsonNode? Body, string? ContentType)> SendAsync(this HttpClient client, HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is string raw) request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (text.Length > 0)
        {
            try { json = JsonNode.Parse(text); }
            catch (JsonException) { json = JsonValue.Create(text); }
        }
        return (response.StatusCode, json, response.Content.Headers.ContentType?.MediaType);
    }

    public static async Task<JsonNode> ExpectAsync(this HttpClient client, HttpMethod method, string url, object? body, HttpStatusCode expected)
    {
        var (status, json, _) = await client.SendAsync(method, url, body);
        if (status != expected)
            throw new XunitException($"{method} {url}: expected {(int)expected} {expected}, got {(int)status} {status}: {json?.ToJsonString()}");
        return json ?? JsonValue.Create("")!;
    }

    public static Task<JsonNode> GetOkAsync(this HttpClient client, string url) => client.ExpectAsync(HttpMethod.Get, url, null, HttpStatusCode.OK);

    public static Task<JsonNode> PostCreatedAsync(this HttpClient client, string url, object body) => client.ExpectAsync(HttpMethod.Post, url, body, HttpStatusCode.Created);

    public static Task<JsonNode> PostOkAsync(this HttpClient client, string url, object? body = null) => client.ExpectAsync(HttpMethod.Post, url, body, HttpStatusCode.OK);

    public static string Str(this JsonNode? node, string property) =>
        node?[property]?.GetValue<string>() ?? throw new XunitException($"'{property}' missing in {node?.ToJsonString()}");

    public static Guid Id(this JsonNode node) => Guid.Parse(node.Str("id"));

    /// <summary>A MoneyDto's amount, as the exact decimal the server wrote.</summary>
    public static decimal Amount(this JsonNode? node, string property)
    {
        var money = node?[property] ?? throw new XunitException($"'{property}' missing in {node?.ToJsonString()}");
        return decimal.Parse(money["amount"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static JsonArray Arr(this JsonNode? node, string property) => node?[property]?.AsArray() ?? throw new XunitException($"'{property}' missing in {node?.ToJsonString()}");
}
