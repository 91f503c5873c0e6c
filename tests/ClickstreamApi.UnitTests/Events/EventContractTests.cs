using System.Buffers;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClickstreamApi.Analytics;
using ClickstreamApi.Events;
using ClickstreamApi.Generation.Model;

namespace ClickstreamApi.UnitTests.Events;

/// <summary>
/// <see cref="ClickEventFields"/> is the one declaration of the event: the record, the writer, the reader,
/// the JSON Schema, the docs and the vocabularies' users are all held to it here. Another rendering of the
/// contract (an Avro schema) gets one more test of the same shape: expected from the declaration, compared
/// with the file.
/// </summary>
public sealed class EventContractTests
{
    private const string ValidEvent = """{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z"}""";

    private static readonly NullabilityInfoContext Nullability = new();

    [Fact]
    public void Every_property_of_the_event_record_is_a_declared_field_of_the_matching_type()
    {
        var properties = typeof(ClickEvent).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.DeclaringType == typeof(ClickEvent))
            .ToDictionary(p => p.Name);

        Assert.Equal(properties.Keys.Order(StringComparer.Ordinal), ClickEventFields.All.Select(f => f.Property).Order(StringComparer.Ordinal));
        Assert.Equal(ClickEventFields.All.Select(f => f.Name).Distinct().Count(), ClickEventFields.All.Count);
        foreach (var field in ClickEventFields.All)
        {
            var property = properties[field.Property];
            Assert.Equal(JsonNamingPolicy.CamelCase.ConvertName(field.Property), field.Name);
            Assert.Equal(ClrType(field), property.PropertyType);
            Assert.Equal(field.Nullable, Nullability.Create(property).ReadState == NullabilityState.Nullable);
            Assert.Equal(field.Required, property.IsDefined(typeof(RequiredMemberAttribute)));
            Assert.Equal(field.Index, ClickEventFields.All.ToList().IndexOf(field));
        }
    }

    [Fact]
    public void The_json_schema_describes_every_declared_field_with_its_type_requiredness_and_limits()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", "click-event.schema.json")))!.AsObject();
        var properties = schema["properties"]!.AsObject();

        Assert.Equal(ClickEventFields.All.Select(f => f.Name), properties.Select(p => p.Key));
        Assert.Equal(
            ClickEventFields.All.Where(f => f.Required).Select(f => f.Name).Order(StringComparer.Ordinal),
            schema["required"]!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var field in ClickEventFields.All)
        {
            var described = properties[field.Name]!.DeepClone().AsObject();
            described.Remove("description");
            var expected = ExpectedJsonSchema(field);
            Assert.True(JsonNode.DeepEquals(expected, described), $"{field.Name}: the declaration says {expected.ToJsonString()}, the schema {described.ToJsonString()}");
        }
    }

    [Fact]
    public void The_avro_schema_describes_every_declared_field_in_order_with_its_type_and_nullability()
    {
        var file = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", "click-event.avsc"));
        var fields = JsonNode.Parse(file)!["fields"]!.AsArray().Select(f => f!.AsObject()).ToList();

        Assert.Equal(ClickEventFields.All.Select(f => f.Name), fields.Select(f => f["name"]!.GetValue<string>()));
        foreach (var (field, described) in ClickEventFields.All.Zip(fields))
        {
            var actual = described.DeepClone().AsObject();
            actual.Remove("doc");
            var expected = ExpectedAvro(field);
            Assert.True(JsonNode.DeepEquals(expected, actual), $"{field.Name}: the declaration says {expected.ToJsonString()}, the Avro schema {actual.ToJsonString()}");
        }

        // The service registers what it has built in, which is this file.
        Assert.Equal(file, ClickstreamApi.Schemas.ClickEventSchemas.Avro);
    }

    [Fact]
    public void The_field_table_in_the_docs_lists_every_declared_field_with_its_type_requiredness_and_limits()
    {
        var rows = FieldTable(File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "docs", "events.md")));

        Assert.Equal(ClickEventFields.All.Select(f => f.Name), rows.Select(r => r.Name));
        foreach (var (field, row) in ClickEventFields.All.Zip(rows))
        {
            Assert.Equal((field.Name, Since(field), DocsType(field), field.Required ? "yes" : "no", DocsLimits(field)), row);
        }
    }

    [Fact]
    public void The_writer_writes_the_same_bytes_as_before_the_contract_was_declared_once()
    {
        // Written by ClickEventSerializer for these two events before the contract was declared once.
        const string FullBefore = """{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","schemaVersion":2,"seq":42,"runId":"run-1","userId":"42","sessionId":"s-0123456789abcdef","eventType":"purchase","page":"/search?q=café+<b>&sort=\"price\"","referrer":"https://www.google.com/","device":"mobile","occurredAt":"2026-11-24T21:18:00.1234567Z","userAgent":"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) \uD83D\uDE00\t","country":"DE","visitorType":"returning","status":200,"category":"books","productId":"17","query":"fantasy novel","element":"order_details","quantity":2,"amount":1234.50,"currency":"EUR","orderId":"o-0123456789abcdef","productIds":["17","42"],"utmSource":"newsletter","utmMedium":"email","utmCampaign":"weekly_deals"}""";
        const string MinimalBefore = """{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","schemaVersion":1,"userId":"7","eventType":"click","page":"/","referrer":null,"occurredAt":"2026-11-24T21:18:00Z","productIds":[]}""";
        using var serializer = new ClickEventSerializer();

        Assert.Equal(FullBefore, Encoding.UTF8.GetString(serializer.Write(FullEvent)));
        Assert.Equal(MinimalBefore, Encoding.UTF8.GetString(serializer.Write(MinimalEvent)));
    }

    [Fact]
    public void The_writer_writes_the_declared_fields_in_order_and_leaves_out_nulls_except_where_declared()
    {
        var simulator = new ClickSimulator(5_000, 0.05, seed: 11);
        simulator.SetRate(200);
        using var serializer = new ClickEventSerializer();
        IEnumerable<ClickEvent> events = [FullEvent, MinimalEvent, MinimalEvent with { ProductIds = null, Referrer = "/" }];

        foreach (var clickEvent in events.Concat(Enumerable.Range(1, 20_000).Select(i => simulator.Next("run", i, DateTimeOffset.UnixEpoch.AddSeconds(i)).Event)))
        {
            var expected = WriteFromDeclaration(clickEvent);
            var written = serializer.Write(clickEvent);
            Assert.True(written.SequenceEqual(expected), $"declared {Encoding.UTF8.GetString(expected)}, written {Encoding.UTF8.GetString(written)}");
        }
    }

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public void The_reader_rejects_each_broken_rule_of_the_declaration_naming_the_field_and_the_rule(string field, string message, string reason, string detail)
    {
        Assert.False(ClickEventReader.TryRead(Encoding.UTF8.GetBytes(message), out _, out var rejection), $"{field}: {message}");

        Assert.Equal((reason, detail), (rejection.Reason, rejection.Detail));
    }

    [Theory]
    [MemberData(nameof(KeptRules))]
    public void The_reader_accepts_values_at_the_declared_limits_and_null_where_declared(string field, string message)
    {
        Assert.True(ClickEventReader.TryRead(Encoding.UTF8.GetBytes(message), out _, out var rejection), $"{field}: {rejection.Detail}");
    }

    [Fact]
    public void The_reader_returns_declared_known_values_as_the_declared_strings()
    {
        foreach (var field in ClickEventFields.All.Where(f => f.KnownValues is not null))
        {
            foreach (var known in field.KnownValues!)
            {
                var message = With(field, JsonValue.Create(new string(known.AsSpan())));
                Assert.True(ClickEventReader.TryRead(Encoding.UTF8.GetBytes(message), out var read, out _));
                Assert.Same(known, typeof(ClickEvent).GetProperty(field.Property)!.GetValue(read));
            }
        }
    }

    [Fact]
    public void The_simulator_fills_every_declared_field_and_uses_every_declared_value_and_no_other()
    {
        var simulator = new ClickSimulator(5_000, 0.05, seed: 23);
        simulator.SetRate(200);
        var events = Enumerable.Range(1, 20_000).Select(i => simulator.Next("run", i, DateTimeOffset.UnixEpoch.AddSeconds(i)).Event).ToList();

        foreach (var field in ClickEventFields.All)
        {
            var property = typeof(ClickEvent).GetProperty(field.Property)!;
            var values = events.Select(e => property.GetValue(e)).ToList();
            Assert.Contains(values, value => value is not null);
            if (field.KnownValues is { } known)
            {
                Assert.Equal(known.Order(StringComparer.Ordinal), values.Cast<string?>().OfType<string>().Distinct().Order(StringComparer.Ordinal));
            }
        }
    }

    [Fact]
    public void The_rate_windows_count_each_declared_event_type_on_its_own()
    {
        var start = DateTimeOffset.UnixEpoch;
        var rates = new EventRateWindows(start);
        for (var i = 0; i < EventTypes.All.Count; i++)
        {
            for (var n = 0; n <= i; n++)
            {
                rates.Record(EventTypes.All[i], start.AddSeconds(0.5));
            }
        }

        var snapshot = rates.Snapshot(start.AddSeconds(1.5));

        Assert.Equal([.. EventTypes.All, "other"], EventRateWindows.EventTypes);
        Assert.Equal(EventTypes.All.Select((_, i) => i + 1.0), EventTypes.All.Select(type => snapshot.ByType[type].Last1s));
        Assert.Equal(0, snapshot.ByType["other"].Last1s);
    }

    public static TheoryData<string, string, string, string> BrokenRules()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var field in ClickEventFields.All)
        {
            void Broken(JsonNode? value, string problem) =>
                data.Add(field.Name, With(field, value), RejectionReasons.InvalidField, $"Field '{field.Name}' {problem}.");

            if (field.Required)
            {
                var without = JsonNode.Parse(ValidEvent)!.AsObject();
                without.Remove(field.Name);
                data.Add(field.Name, without.ToJsonString(), RejectionReasons.MissingField, $"Required field '{field.Name}' is missing.");
            }

            if (!field.Nullable)
            {
                Broken(null, field.TypeRule);
            }

            switch (field.Kind)
            {
                case EventFieldKind.Text:
                    Broken(7, field.TypeRule);
                    Broken("", EventField.EmptyRule);
                    Broken(new string('x', field.MaxLength!.Value + 1), field.LengthRule);
                    break;
                case EventFieldKind.WholeNumber:
                    Broken("1", field.TypeRule);
                    Broken(1.5, field.TypeRule);
                    Broken(field.Minimum!.Value - 1, field.TypeRule);
                    if (field.Maximum is { } max)
                    {
                        Broken(max + 1, field.TypeRule);
                    }

                    break;
                case EventFieldKind.Number:
                    Broken("1", field.TypeRule);
                    Broken(field.Minimum!.Value - 0.01m, field.TypeRule);
                    break;
                case EventFieldKind.Uuid:
                    Broken("not-a-uuid", field.TypeRule);
                    Broken(7, field.TypeRule);
                    break;
                case EventFieldKind.Timestamp:
                    Broken("yesterday", field.TypeRule);
                    Broken(7, field.TypeRule);
                    break;
                case EventFieldKind.TextList:
                    Broken("17", field.TypeRule);
                    Broken(new JsonArray(17), field.ItemsRule);
                    Broken(new JsonArray([.. Enumerable.Range(0, field.MaxItems!.Value + 1).Select(i => JsonValue.Create(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))]), field.ItemsRule);
                    Broken(new JsonArray(""), field.ItemLengthRule);
                    Broken(new JsonArray(new string('x', field.MaxLength!.Value + 1)), field.ItemLengthRule);
                    break;
                default:
                    throw new InvalidOperationException($"No broken values for {field.Kind}: add them.");
            }
        }

        return data;
    }

    public static TheoryData<string, string> KeptRules()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in ClickEventFields.All)
        {
            void Kept(JsonNode? value) => data.Add(field.Name, With(field, value));

            if (field.Nullable)
            {
                Kept(null);
            }

            switch (field.Kind)
            {
                case EventFieldKind.Text:
                    Kept("x");
                    Kept(new string('x', field.MaxLength!.Value));
                    break;
                case EventFieldKind.WholeNumber:
                    Kept(field.Minimum!.Value);
                    Kept(field.Maximum ?? long.MaxValue);
                    break;
                case EventFieldKind.Number:
                    Kept(field.Minimum!.Value);
                    Kept(12.34m);
                    break;
                case EventFieldKind.Uuid:
                    Kept("0195c8a4-5d4e-7c1a-9f00-0123456789ab");
                    break;
                case EventFieldKind.Timestamp:
                    Kept("2026-11-24T22:18:00.1234567+01:00");
                    break;
                case EventFieldKind.TextList:
                    Kept(new JsonArray());
                    Kept(new JsonArray([.. Enumerable.Range(0, field.MaxItems!.Value).Select(_ => JsonValue.Create(new string('x', field.MaxLength!.Value)))]));
                    break;
                default:
                    throw new InvalidOperationException($"No kept values for {field.Kind}: add them.");
            }
        }

        return data;
    }

    private static readonly ClickEvent FullEvent = new()
    {
        EventId = Guid.Parse("0195c8a4-5d4e-7c1a-9f00-0123456789ab"),
        SchemaVersion = 2,
        Seq = 42,
        RunId = "run-1",
        UserId = "42",
        SessionId = "s-0123456789abcdef",
        EventType = "purchase",
        Page = "/search?q=caf\u00e9+<b>&sort=\"price\"",
        Referrer = "https://www.google.com/",
        Device = "mobile",
        OccurredAt = new DateTimeOffset(2026, 11, 24, 22, 18, 0, 123, TimeSpan.FromHours(1)).AddTicks(4567),
        UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) \U0001F600\t",
        Country = "DE",
        VisitorType = "returning",
        Status = 200,
        Category = "books",
        ProductId = "17",
        Query = "fantasy novel",
        Element = "order_details",
        Quantity = 2,
        Amount = 1234.50m,
        Currency = "EUR",
        OrderId = "o-0123456789abcdef",
        ProductIds = ["17", "42"],
        UtmSource = "newsletter",
        UtmMedium = "email",
        UtmCampaign = "weekly_deals",
    };

    private static readonly ClickEvent MinimalEvent = new()
    {
        EventId = Guid.Parse("0195c8a4-5d4e-7c1a-9f00-0123456789ab"),
        SchemaVersion = 1,
        UserId = "7",
        EventType = "click",
        Page = "/",
        OccurredAt = new DateTimeOffset(2026, 11, 24, 21, 18, 0, TimeSpan.Zero),
        ProductIds = [],
    };

    /// <summary>A valid event with one field set to <paramref name="value"/> (JSON null when null).</summary>
    private static string With(EventField field, JsonNode? value)
    {
        var message = JsonNode.Parse(ValidEvent)!.AsObject();
        message[field.Name] = value;
        return message.ToJsonString();
    }

    private static Type ClrType(EventField field)
    {
        var type = field.Kind switch
        {
            EventFieldKind.Uuid => typeof(Guid),
            EventFieldKind.WholeNumber => field.Maximum <= int.MaxValue ? typeof(int) : typeof(long),
            EventFieldKind.Number => typeof(decimal),
            EventFieldKind.Text => typeof(string),
            EventFieldKind.Timestamp => typeof(DateTimeOffset),
            EventFieldKind.TextList => typeof(IReadOnlyList<string>),
            _ => throw new InvalidOperationException($"No CLR type for {field.Kind}."),
        };
        return field.Nullable && type.IsValueType ? typeof(Nullable<>).MakeGenericType(type) : type;
    }

    /// <summary>What the JSON Schema must say about a field (apart from its description).</summary>
    private static JsonObject ExpectedJsonSchema(EventField field)
    {
        var type = field.Kind switch
        {
            EventFieldKind.WholeNumber => "integer",
            EventFieldKind.Number => "number",
            EventFieldKind.TextList => "array",
            _ => "string",
        };
        var node = new JsonObject { ["type"] = field.Nullable ? new JsonArray(type, "null") : type };
        switch (field.Kind)
        {
            case EventFieldKind.Uuid:
                node["format"] = "uuid";
                break;
            case EventFieldKind.Timestamp:
                node["format"] = "date-time";
                break;
            case EventFieldKind.Text:
                node["minLength"] = 1;
                node["maxLength"] = field.MaxLength;
                break;
            case EventFieldKind.TextList:
                node["maxItems"] = field.MaxItems;
                node["items"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = field.MaxLength };
                break;
            default:
                if (field.Minimum is { } min)
                {
                    node["minimum"] = min;
                }

                if (field.Maximum is { } max)
                {
                    node["maximum"] = max;
                }

                break;
        }

        if (field.KnownValues is { } known)
        {
            node["examples"] = new JsonArray([.. known.Select(value => JsonValue.Create(value))]);
        }

        return node;
    }

    private static JsonObject ExpectedAvro(EventField field)
    {
        JsonNode type = field.Kind switch
        {
            EventFieldKind.Uuid => new JsonObject { ["type"] = "string", ["logicalType"] = "uuid" },
            EventFieldKind.Timestamp => new JsonObject { ["type"] = "long", ["logicalType"] = "timestamp-micros" },
            EventFieldKind.WholeNumber => Nullable.GetUnderlyingType(ClrType(field)) == typeof(long) || ClrType(field) == typeof(long) ? "long" : "int",
            EventFieldKind.Number => new JsonObject { ["type"] = "bytes", ["logicalType"] = "decimal", ["precision"] = 18, ["scale"] = 2 },
            EventFieldKind.Text => "string",
            EventFieldKind.TextList => new JsonObject { ["type"] = "array", ["items"] = "string" },
            _ => throw new InvalidOperationException(field.Kind.ToString()),
        };
        var expected = new JsonObject { ["name"] = field.Name };
        if (field.Nullable)
        {
            expected["type"] = new JsonArray("null", type);
            expected["default"] = null;
        }
        else
        {
            expected["type"] = type;
            if (!field.Required)
            {
                // Absent means version 1, as in JSON.
                expected["default"] = 1;
            }
        }

        return expected;
    }

    private static string Since(EventField field) => field.Since.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string DocsType(EventField field)
    {
        var type = field.Kind switch
        {
            EventFieldKind.Uuid => "UUID string",
            EventFieldKind.WholeNumber => "integer",
            EventFieldKind.Number => "number",
            EventFieldKind.Text => "string",
            EventFieldKind.Timestamp => "ISO-8601 timestamp",
            EventFieldKind.TextList => "array of strings",
            _ => throw new InvalidOperationException($"No docs type for {field.Kind}."),
        };
        return field.Nullable ? type + " or null" : type;
    }

    private static string DocsLimits(EventField field) => field.Kind switch
    {
        EventFieldKind.Text => $"1 to {field.MaxLength} characters",
        EventFieldKind.TextList => $"at most {field.MaxItems} items of 1 to {field.MaxLength} characters",
        EventFieldKind.WholeNumber or EventFieldKind.Number when field.Maximum is { } max => $"{field.Minimum} to {max}",
        EventFieldKind.WholeNumber or EventFieldKind.Number when field.Minimum is { } min => $"at least {min}",
        _ => "",
    };

    /// <summary>The rows of the table under "## Fields": name, since, type, required, limits (the meaning is prose).</summary>
    private static List<(string Name, string Since, string Type, string Required, string Limits)> FieldTable(string[] lines) =>
        lines.SkipWhile(line => line != "## Fields")
            .Skip(1)
            .TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal))
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray())
            .Select(cells => (cells[0].Trim('`'), cells[1], cells[2], cells[3], cells[4]))
            .ToList();

    /// <summary>The event as the declaration says to write it: each field in order, nulls left out unless declared written.</summary>
    private static byte[] WriteFromDeclaration(ClickEvent clickEvent)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var field in ClickEventFields.All)
            {
                var value = typeof(ClickEvent).GetProperty(field.Property)!.GetValue(clickEvent);
                if (value is null)
                {
                    if (field.WrittenWhenNull)
                    {
                        writer.WriteNull(field.Name);
                    }

                    continue;
                }

                switch (value)
                {
                    case Guid id:
                        writer.WriteString(field.Name, id);
                        break;
                    case int or long:
                        writer.WriteNumber(field.Name, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                    case decimal amount:
                        writer.WriteNumber(field.Name, amount);
                        break;
                    case DateTimeOffset at:
                        writer.WriteString(field.Name, at.UtcDateTime);
                        break;
                    case string text:
                        writer.WriteString(field.Name, text);
                        break;
                    case IReadOnlyList<string> list:
                        writer.WriteStartArray(field.Name);
                        foreach (var item in list)
                        {
                            writer.WriteStringValue(item);
                        }

                        writer.WriteEndArray();
                        break;
                    default:
                        throw new InvalidOperationException($"No way to write {value.GetType()}.");
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
