namespace ClickstreamApi.Registry;

/// <summary>
/// The part of Confluent's Schema Registry REST API that serializers, deserializers and common tools
/// use, with its paths, JSON shapes and error codes (docs/schema-registry.md lists them).
/// </summary>
internal static class RegistryEndpoints
{
    private static readonly string[] Contexts = ["."];

    public static void Map(IEndpointRouteBuilder app, SchemaStore store)
    {
        app.MapGet("/", () => RegistryJson.Ok(new Dictionary<string, object>()));
        app.MapGet("/contexts", () => RegistryJson.Ok(Contexts));
        app.MapGet("/schemas/types", () => RegistryJson.Ok(SchemaKinds.All));

        // Schemas by id.
        app.MapGet("/schemas/ids/{id:int}", (int id) => RegistryJson.Ok(RegistryJson.Schema(store.Schema(id))));
        app.MapGet("/schemas/ids/{id:int}/schema", (int id) => RegistryJson.Raw(store.Schema(id)));
        app.MapGet("/schemas/ids/{id:int}/versions", (int id, HttpRequest request) =>
            RegistryJson.Ok(store.VersionsOf(id, Flag(request, "deleted")).Select(v => new Dictionary<string, object> { ["subject"] = v.Subject, ["version"] = v.Version })));
        app.MapGet("/schemas/ids/{id:int}/subjects", (int id, HttpRequest request) =>
            RegistryJson.Ok(store.VersionsOf(id, Flag(request, "deleted")).Select(v => v.Subject).Distinct()));
        app.MapGet("/schemas", (HttpRequest request) =>
            RegistryJson.Ok(store.Versions(Text(request, "subjectPrefix"), Flag(request, "deleted"), Flag(request, "latestOnly")).Select(RegistryJson.Version)));

        // Subjects and their versions.
        app.MapGet("/subjects", (HttpRequest request) => RegistryJson.Ok(store.Subjects(Flag(request, "deleted"), Text(request, "subjectPrefix"))));
        app.MapPost("/subjects/{subject}/versions", async (string subject, HttpRequest request, CancellationToken cancellationToken) =>
        {
            var schema = await SchemaRequest.ReadAsync(request, cancellationToken);
            var stored = store.Register(subject, schema.SchemaType, schema.Schema, schema.References);
            return RegistryJson.Ok(new Dictionary<string, object> { ["id"] = stored.Id });
        });
        app.MapPost("/subjects/{subject}", async (string subject, HttpRequest request, CancellationToken cancellationToken) =>
        {
            var schema = await SchemaRequest.ReadAsync(request, cancellationToken);
            return RegistryJson.Ok(RegistryJson.Version(store.Lookup(subject, schema.SchemaType, schema.Schema, schema.References, Flag(request, "deleted"))));
        });
        app.MapGet("/subjects/{subject}/versions", (string subject, HttpRequest request) => RegistryJson.Ok(store.VersionNumbers(subject, Flag(request, "deleted"))));
        app.MapGet("/subjects/{subject}/versions/{version}", (string subject, string version, HttpRequest request) =>
            RegistryJson.Ok(RegistryJson.Version(store.Version(subject, version, Flag(request, "deleted")))));
        app.MapGet("/subjects/{subject}/versions/{version}/schema", (string subject, string version, HttpRequest request) =>
            RegistryJson.Raw(store.Version(subject, version, Flag(request, "deleted")).Schema));
        app.MapGet("/subjects/{subject}/versions/{version}/referencedby", (string subject, string version) =>
        {
            var referenced = store.Version(subject, version, includeDeleted: false);
            return RegistryJson.Ok(store.Versions(null, includeDeleted: false, latestOnly: false)
                .Where(v => v.Schema.References.Any(r => r.Subject == subject && r.Version == referenced.Version))
                .Select(v => v.Schema.Id)
                .Distinct());
        });
        app.MapDelete("/subjects/{subject}", (string subject, HttpRequest request) => RegistryJson.Ok(store.DeleteSubject(subject, Flag(request, "permanent"))));
        app.MapDelete("/subjects/{subject}/versions/{version}", (string subject, string version, HttpRequest request) =>
            RegistryJson.Ok(store.DeleteVersion(subject, version, Flag(request, "permanent"))));

        // Compatibility.
        app.MapPost("/compatibility/subjects/{subject}/versions", (string subject, HttpRequest request, CancellationToken cancellationToken) =>
            CheckAsync(store, subject, null, request, cancellationToken));
        app.MapPost("/compatibility/subjects/{subject}/versions/{version}", (string subject, string version, HttpRequest request, CancellationToken cancellationToken) =>
            CheckAsync(store, subject, version, request, cancellationToken));
        app.MapGet("/config", () => RegistryJson.Ok(new Dictionary<string, object> { ["compatibilityLevel"] = store.GlobalCompatibility }));
        app.MapPut("/config", async (HttpRequest request, CancellationToken cancellationToken) =>
            RegistryJson.Ok(new Dictionary<string, object> { ["compatibility"] = store.SetGlobalCompatibility(await CompatibilityAsync(request, cancellationToken)) }));
        app.MapDelete("/config", () =>
        {
            var previous = store.GlobalCompatibility;
            store.SetGlobalCompatibility(CompatibilityLevel.Backward);
            return RegistryJson.Ok(new Dictionary<string, object> { ["compatibilityLevel"] = previous });
        });
        app.MapGet("/config/{subject}", (string subject, HttpRequest request) =>
            RegistryJson.Ok(new Dictionary<string, object> { ["compatibilityLevel"] = store.SubjectCompatibility(subject, Flag(request, "defaultToGlobal")) }));
        app.MapPut("/config/{subject}", async (string subject, HttpRequest request, CancellationToken cancellationToken) =>
            RegistryJson.Ok(new Dictionary<string, object> { ["compatibility"] = store.SetSubjectCompatibility(subject, await CompatibilityAsync(request, cancellationToken)) }));
        app.MapDelete("/config/{subject}", (string subject) =>
            RegistryJson.Ok(new Dictionary<string, object> { ["compatibilityLevel"] = store.DeleteSubjectCompatibility(subject) }));

        // The registry is always writable; the mode is reported for tools that ask.
        app.MapGet("/mode", () => RegistryJson.Ok(new Dictionary<string, object> { ["mode"] = "READWRITE" }));
        app.MapGet("/mode/{subject}", IResult (string subject) => throw RegistryException.SubjectModeNotConfigured(subject));
    }

    private static async Task<IResult> CheckAsync(SchemaStore store, string subject, string? version, HttpRequest request, CancellationToken cancellationToken)
    {
        var schema = await SchemaRequest.ReadAsync(request, cancellationToken);
        var problems = store.CompatibilityProblems(subject, version, schema.SchemaType, schema.Schema, schema.References);
        var answer = new Dictionary<string, object> { ["is_compatible"] = problems.Count == 0 };
        if (Flag(request, "verbose"))
        {
            answer["messages"] = problems;
        }

        return RegistryJson.Ok(answer);
    }

    private static async Task<string?> CompatibilityAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var body = await SchemaRequest.ReadJsonAsync(request, cancellationToken);
        return body.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
            && body.RootElement.TryGetProperty("compatibility", out var level)
            && level.ValueKind == System.Text.Json.JsonValueKind.String
                ? level.GetString()
                : null;
    }

    private static bool Flag(HttpRequest request, string name) =>
        bool.TryParse(request.Query[name].ToString(), out var value) && value;

    private static string? Text(HttpRequest request, string name) =>
        request.Query[name].ToString() is { Length: > 0 } value ? value : null;
}
