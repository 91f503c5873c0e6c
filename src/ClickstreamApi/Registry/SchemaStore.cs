namespace ClickstreamApi.Registry;

/// <summary>A schema under an id: the same type, text and references always get the same id.</summary>
public sealed record StoredSchema(int Id, string SchemaType, string Schema, IReadOnlyList<SchemaReference> References);

/// <summary>A reference from one schema to a version of another subject.</summary>
public sealed record SchemaReference(string Name, string Subject, int Version);

/// <summary>One version of a subject.</summary>
public sealed record SubjectVersion(string Subject, int Version, StoredSchema Schema, bool Deleted);

/// <summary>
/// The embedded registry's state, in memory like the embedded broker: schemas by id, subjects and
/// their versions, compatibility levels. Thread-safe; every operation either succeeds or throws the
/// <see cref="RegistryException"/> Confluent's registry would answer.
/// </summary>
public sealed class SchemaStore
{
    private readonly Lock _gate = new();
    private readonly List<StoredSchema> _schemas = [];
    private readonly Dictionary<(string Type, string Schema, string References), StoredSchema> _byContent = [];
    private readonly Dictionary<string, Subject> _subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _subjectCompatibility = new(StringComparer.Ordinal);
    private string _compatibility = CompatibilityLevel.Backward;

    /// <summary>Registers a schema under a subject (a new version unless it is already the subject's), returning its id.</summary>
    public StoredSchema Register(string subject, string schemaType, string schema, IReadOnlyList<SchemaReference> references)
    {
        var canonical = SchemaKinds.Canonicalize(schemaType, schema, references.Count > 0);
        lock (_gate)
        {
            foreach (var reference in references)
            {
                if (!_subjects.TryGetValue(reference.Subject, out var referenced) || referenced.Find(reference.Version) is not { Deleted: false })
                {
                    throw RegistryException.InvalidSchema($"(reference '{reference.Name}' names version {reference.Version} of subject '{reference.Subject}', which is not registered)");
                }
            }

            var key = (schemaType, canonical, ReferencesKey(references));
            var existing = _subjects.TryGetValue(subject, out var known) ? known : null;
            if (existing?.Live.FirstOrDefault(v => ContentKey(v.Schema) == key) is { } already)
            {
                return already.Schema;
            }

            CheckCompatibility(subject, existing, schemaType, canonical);
            if (!_byContent.TryGetValue(key, out var stored))
            {
                stored = new StoredSchema(_schemas.Count + 1, schemaType, canonical, references);
                _schemas.Add(stored);
                _byContent.Add(key, stored);
            }

            existing ??= _subjects[subject] = new Subject(subject);
            existing.Add(stored);
            return stored;
        }
    }

    /// <summary>The subject's version holding this schema.</summary>
    public SubjectVersion Lookup(string subject, string schemaType, string schema, IReadOnlyList<SchemaReference> references, bool includeDeleted)
    {
        var canonical = SchemaKinds.Canonicalize(schemaType, schema, references.Count > 0);
        var key = (schemaType, canonical, ReferencesKey(references));
        lock (_gate)
        {
            var found = FindSubject(subject, includeDeleted);
            return found.Versions.LastOrDefault(v => (includeDeleted || !v.Deleted) && ContentKey(v.Schema) == key)
                ?? throw RegistryException.SchemaNotFound();
        }
    }

    public StoredSchema Schema(int id)
    {
        lock (_gate)
        {
            return id >= 1 && id <= _schemas.Count ? _schemas[id - 1] : throw RegistryException.SchemaNotFound(id);
        }
    }

    /// <summary>Every subject version holding schema <paramref name="id"/>.</summary>
    public IReadOnlyList<SubjectVersion> VersionsOf(int id, bool includeDeleted)
    {
        lock (_gate)
        {
            var schema = Schema(id);
            return [.. _subjects.Values.SelectMany(s => s.Versions).Where(v => v.Schema == schema && (includeDeleted || !v.Deleted))];
        }
    }

    /// <summary>Every schema's newest (or every) version, optionally under a subject prefix.</summary>
    public IReadOnlyList<SubjectVersion> Versions(string? subjectPrefix, bool includeDeleted, bool latestOnly)
    {
        lock (_gate)
        {
            return [.. _subjects.Values
                .Where(s => subjectPrefix is null || s.Name.StartsWith(subjectPrefix, StringComparison.Ordinal))
                .OrderBy(s => s.Name, StringComparer.Ordinal)
                .SelectMany(s =>
                {
                    var versions = s.Versions.Where(v => includeDeleted || !v.Deleted);
                    return latestOnly ? versions.TakeLast(1) : versions;
                })];
        }
    }

    public IReadOnlyList<string> Subjects(bool includeDeleted, string? subjectPrefix = null)
    {
        lock (_gate)
        {
            return [.. _subjects.Values
                .Where(s => (includeDeleted || s.Live.Any()) && (subjectPrefix is null || s.Name.StartsWith(subjectPrefix, StringComparison.Ordinal)))
                .Select(s => s.Name)
                .Order(StringComparer.Ordinal)];
        }
    }

    public IReadOnlyList<int> VersionNumbers(string subject, bool includeDeleted)
    {
        lock (_gate)
        {
            return [.. FindSubject(subject, includeDeleted).Versions.Where(v => includeDeleted || !v.Deleted).Select(v => v.Version)];
        }
    }

    /// <summary>A version by number, or the newest for "latest" and -1.</summary>
    public SubjectVersion Version(string subject, string version, bool includeDeleted)
    {
        var number = ParseVersion(version);
        lock (_gate)
        {
            var found = FindSubject(subject, includeDeleted);
            var match = number == -1
                ? found.Versions.LastOrDefault(v => includeDeleted || !v.Deleted)
                : found.Find(number) is { } v && (includeDeleted || !v.Deleted) ? v : null;
            return match ?? throw RegistryException.VersionNotFound(subject, number == -1 ? (found.Versions.Count > 0 ? found.Versions[^1].Version : 0) : number);
        }
    }

    /// <summary>Deletes a subject (soft, or permanently after a soft delete), returning the versions it had.</summary>
    public IReadOnlyList<int> DeleteSubject(string subject, bool permanent)
    {
        lock (_gate)
        {
            if (!_subjects.TryGetValue(subject, out var found))
            {
                throw RegistryException.SubjectNotFound(subject);
            }

            if (permanent)
            {
                if (found.Live.Any())
                {
                    throw RegistryException.SubjectNotSoftDeleted(subject);
                }

                _subjects.Remove(subject);
                _subjectCompatibility.Remove(subject);
                return [.. found.Versions.Select(v => v.Version)];
            }

            if (!found.Live.Any())
            {
                throw RegistryException.SubjectSoftDeleted(subject);
            }

            var deleted = found.Live.Select(v => v.Version).ToArray();
            found.SoftDeleteAll();
            return deleted;
        }
    }

    /// <summary>Deletes one version (soft, or permanently after a soft delete), returning its number.</summary>
    public int DeleteVersion(string subject, string version, bool permanent)
    {
        var number = ParseVersion(version);
        lock (_gate)
        {
            var found = FindSubject(subject, includeDeleted: true);
            var match = number == -1 ? found.Versions.LastOrDefault(v => permanent || !v.Deleted) : found.Find(number);
            if (match is null)
            {
                throw RegistryException.VersionNotFound(subject, number);
            }

            if (permanent && !match.Deleted)
            {
                throw RegistryException.VersionNotSoftDeleted(subject, match.Version);
            }

            if (!permanent && match.Deleted)
            {
                throw RegistryException.VersionSoftDeleted(subject, match.Version);
            }

            found.Delete(match, permanent);
            if (found.Versions.Count == 0)
            {
                _subjects.Remove(subject);
            }

            return match.Version;
        }
    }

    public string GlobalCompatibility
    {
        get
        {
            lock (_gate)
            {
                return _compatibility;
            }
        }
    }

    public string SetGlobalCompatibility(string? level)
    {
        var parsed = CompatibilityLevel.Parse(level) ?? throw RegistryException.InvalidCompatibilityLevel(level);
        lock (_gate)
        {
            return _compatibility = parsed;
        }
    }

    /// <summary>The subject's own level; with <paramref name="defaultToGlobal"/>, the global one when it has none.</summary>
    public string SubjectCompatibility(string subject, bool defaultToGlobal)
    {
        lock (_gate)
        {
            if (_subjectCompatibility.TryGetValue(subject, out var level))
            {
                return level;
            }

            return defaultToGlobal ? _compatibility : throw RegistryException.SubjectCompatibilityNotConfigured(subject);
        }
    }

    public string SetSubjectCompatibility(string subject, string? level)
    {
        var parsed = CompatibilityLevel.Parse(level) ?? throw RegistryException.InvalidCompatibilityLevel(level);
        lock (_gate)
        {
            return _subjectCompatibility[subject] = parsed;
        }
    }

    /// <summary>Removes the subject's own level, returning it.</summary>
    public string DeleteSubjectCompatibility(string subject)
    {
        lock (_gate)
        {
            if (!_subjectCompatibility.Remove(subject, out var level))
            {
                throw _subjects.ContainsKey(subject) ? RegistryException.SubjectCompatibilityNotConfigured(subject) : RegistryException.SubjectNotFound(subject);
            }

            return level;
        }
    }

    /// <summary>Whether the schema could be registered as the subject's next version (or against one version).</summary>
    public IReadOnlyList<string> CompatibilityProblems(string subject, string? version, string schemaType, string schema, IReadOnlyList<SchemaReference> references)
    {
        var canonical = SchemaKinds.Canonicalize(schemaType, schema, references.Count > 0);
        lock (_gate)
        {
            if (!_subjects.TryGetValue(subject, out var found) || !found.Live.Any())
            {
                if (version is null)
                {
                    return [];
                }

                throw RegistryException.SubjectNotFound(subject);
            }

            var against = version is null ? found.Live.ToList() : [Version(subject, version, includeDeleted: false)];
            return Problems(LevelOf(subject), against, schemaType, canonical, transitiveOverride: version is not null ? false : null);
        }
    }

    private void CheckCompatibility(string subject, Subject? existing, string schemaType, string canonical)
    {
        if (existing is null || !existing.Live.Any())
        {
            return;
        }

        var problems = Problems(LevelOf(subject), existing.Live.ToList(), schemaType, canonical, transitiveOverride: null);
        if (problems.Count > 0)
        {
            throw RegistryException.Incompatible($"{subject}; {string.Join("; ", problems)}");
        }
    }

    private static List<string> Problems(string level, List<SubjectVersion> earlier, string schemaType, string canonical, bool? transitiveOverride)
    {
        var (backward, forward, transitive) = CompatibilityLevel.Rules(level);
        var compared = (transitiveOverride ?? transitive) ? earlier : earlier.TakeLast(1).ToList();
        var problems = new List<string>();
        foreach (var version in compared)
        {
            if (version.Schema.SchemaType != schemaType)
            {
                problems.Add($"version {version.Version} is a {version.Schema.SchemaType} schema, this one {schemaType}");
                continue;
            }

            if (backward && !SchemaKinds.CanRead(schemaType, reader: canonical, writer: version.Schema.Schema))
            {
                problems.Add($"it cannot read data written with version {version.Version} ({level})");
            }

            if (forward && !SchemaKinds.CanRead(schemaType, reader: version.Schema.Schema, writer: canonical))
            {
                problems.Add($"data written with it cannot be read with version {version.Version} ({level})");
            }
        }

        return problems;
    }

    private string LevelOf(string subject) => _subjectCompatibility.TryGetValue(subject, out var level) ? level : _compatibility;

    private Subject FindSubject(string subject, bool includeDeleted) =>
        _subjects.TryGetValue(subject, out var found) && (includeDeleted || found.Live.Any())
            ? found
            : throw RegistryException.SubjectNotFound(subject);

    private static int ParseVersion(string version)
    {
        if (string.Equals(version, "latest", StringComparison.OrdinalIgnoreCase) || version == "-1")
        {
            return -1;
        }

        return int.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number >= 1
            ? number
            : throw RegistryException.InvalidVersion(version);
    }

    private static (string Type, string Schema, string References) ContentKey(StoredSchema schema) =>
        (schema.SchemaType, schema.Schema, ReferencesKey(schema.References));

    private static string ReferencesKey(IReadOnlyList<SchemaReference> references) =>
        string.Join('\n', references.Select(r => $"{r.Name}\t{r.Subject}\t{r.Version}"));

    private sealed class Subject(string name)
    {
        private readonly List<SubjectVersion> _versions = [];

        public string Name { get; } = name;

        public List<SubjectVersion> Versions => _versions;

        public IEnumerable<SubjectVersion> Live => _versions.Where(v => !v.Deleted);

        public SubjectVersion? Find(int version) => _versions.Find(v => v.Version == version);

        public void Add(StoredSchema schema) =>
            _versions.Add(new SubjectVersion(Name, _versions.Count == 0 ? 1 : _versions[^1].Version + 1, schema, Deleted: false));

        public void SoftDeleteAll()
        {
            for (var i = 0; i < _versions.Count; i++)
            {
                _versions[i] = _versions[i] with { Deleted = true };
            }
        }

        public void Delete(SubjectVersion version, bool permanent)
        {
            var index = _versions.IndexOf(version);
            if (permanent)
            {
                _versions.RemoveAt(index);
            }
            else
            {
                _versions[index] = version with { Deleted = true };
            }
        }
    }
}
