using ClickstreamApi.Registry;

namespace ClickstreamApi.UnitTests.Registry;

/// <summary>The embedded registry keeps Confluent's rules: ids, versions, deletes, compatibility and its error codes.</summary>
public sealed class SchemaStoreTests
{
    private const string Record1 = """{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}""";
    private const string Record2WithDefault = """{"type":"record","name":"R","fields":[{"name":"a","type":"string"},{"name":"b","type":"int","default":0}]}""";
    private const string Record2WithoutDefault = """{"type":"record","name":"R","fields":[{"name":"a","type":"string"},{"name":"b","type":"int"}]}""";

    private readonly SchemaStore _store = new();

    [Fact]
    public void The_same_schema_gets_the_same_id_under_every_subject_and_whatever_its_whitespace()
    {
        var first = _store.Register("a-value", SchemaKinds.Avro, Record1, []);
        var again = _store.Register("a-value", SchemaKinds.Avro, Record1.Replace(",", ", ", StringComparison.Ordinal), []);
        var elsewhere = _store.Register("b-value", SchemaKinds.Avro, Record1, []);

        Assert.Equal(1, first.Id);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Id, elsewhere.Id);
        Assert.Equal([1], _store.VersionNumbers("a-value", includeDeleted: false));
        Assert.Equal(["a-value", "b-value"], _store.Subjects(includeDeleted: false));
    }

    [Fact]
    public void A_compatible_change_is_the_next_version_and_latest_finds_it()
    {
        _store.Register("s", SchemaKinds.Avro, Record1, []);
        var second = _store.Register("s", SchemaKinds.Avro, Record2WithDefault, []);

        Assert.Equal(2, second.Id);
        var latest = _store.Version("s", "latest", includeDeleted: false);
        Assert.Equal((2, 2), (latest.Version, latest.Schema.Id));
        Assert.Equal(1, _store.Lookup("s", SchemaKinds.Avro, Record1, [], includeDeleted: false).Version);
    }

    [Fact]
    public void A_backward_incompatible_change_is_refused_with_409_unless_compatibility_is_none()
    {
        _store.Register("s", SchemaKinds.Avro, Record1, []);

        var refused = Assert.Throws<RegistryException>(() => _store.Register("s", SchemaKinds.Avro, Record2WithoutDefault, []));
        Assert.Equal((409, 409), (refused.Status, refused.ErrorCode));
        Assert.Equal(["it cannot read data written with version 1 (BACKWARD)"], _store.CompatibilityProblems("s", "latest", SchemaKinds.Avro, Record2WithoutDefault, []));

        _store.SetSubjectCompatibility("s", "none");
        Assert.Equal(2, _store.Register("s", SchemaKinds.Avro, Record2WithoutDefault, []).Id);
        Assert.Equal("NONE", _store.SubjectCompatibility("s", defaultToGlobal: false));
    }

    [Fact]
    public void Deleting_is_soft_first_then_permanent()
    {
        _store.Register("s", SchemaKinds.Avro, Record1, []);

        Assert.Equal(40405, Assert.Throws<RegistryException>(() => _store.DeleteSubject("s", permanent: true)).ErrorCode);
        Assert.Equal([1], _store.DeleteSubject("s", permanent: false));
        Assert.Empty(_store.Subjects(includeDeleted: false));
        Assert.Equal(["s"], _store.Subjects(includeDeleted: true));
        Assert.Equal(40404, Assert.Throws<RegistryException>(() => _store.DeleteSubject("s", permanent: false)).ErrorCode);
        Assert.Equal([1], _store.DeleteSubject("s", permanent: true));
        Assert.Equal(40401, Assert.Throws<RegistryException>(() => _store.VersionNumbers("s", includeDeleted: true)).ErrorCode);

        // The schema keeps its id: events written with it stay readable.
        Assert.Contains("\"R\"", _store.Schema(1).Schema, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SchemaKinds.Avro, "{\"type\":\"nonsense\"}")]
    [InlineData(SchemaKinds.Avro, "not json")]
    [InlineData(SchemaKinds.Json, "[1,2]")]
    [InlineData(SchemaKinds.Json, "{")]
    [InlineData(SchemaKinds.Protobuf, "  ")]
    public void An_invalid_schema_is_refused_with_42201(string type, string schema)
    {
        var error = Assert.Throws<RegistryException>(() => _store.Register("s", type, schema, []));

        Assert.Equal((422, 42201), (error.Status, error.ErrorCode));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("abc")]
    [InlineData("99999999999")]
    public void An_invalid_version_is_refused_with_42202(string version)
    {
        _store.Register("s", SchemaKinds.Avro, Record1, []);

        Assert.Equal(42202, Assert.Throws<RegistryException>(() => _store.Version("s", version, includeDeleted: false)).ErrorCode);
    }

    [Fact]
    public void Unknown_subjects_versions_and_ids_get_their_own_codes()
    {
        _store.Register("s", SchemaKinds.Avro, Record1, []);

        Assert.Equal(40401, Assert.Throws<RegistryException>(() => _store.Version("t", "1", includeDeleted: false)).ErrorCode);
        Assert.Equal(40402, Assert.Throws<RegistryException>(() => _store.Version("s", "2", includeDeleted: false)).ErrorCode);
        Assert.Equal(40403, Assert.Throws<RegistryException>(() => _store.Schema(2)).ErrorCode);
        Assert.Equal(40403, Assert.Throws<RegistryException>(() => _store.Lookup("s", SchemaKinds.Avro, Record2WithDefault, [], includeDeleted: false)).ErrorCode);
        Assert.Equal(40408, Assert.Throws<RegistryException>(() => _store.SubjectCompatibility("s", defaultToGlobal: false)).ErrorCode);
        Assert.Equal("BACKWARD", _store.SubjectCompatibility("s", defaultToGlobal: true));
        Assert.Equal(42203, Assert.Throws<RegistryException>(() => _store.SetGlobalCompatibility("sideways")).ErrorCode);
    }

    [Fact]
    public void A_reference_to_a_subject_version_that_does_not_exist_is_refused()
    {
        var error = Assert.Throws<RegistryException>(() => _store.Register("s", SchemaKinds.Json, "{}", [new SchemaReference("other.json", "other", 1)]));

        Assert.Equal(42201, error.ErrorCode);
    }
}
