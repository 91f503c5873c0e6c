using Confluent.SchemaRegistry;

namespace ClickstreamApi.Schemas;

/// <summary>The subject an event schema is registered under, by Confluent's subject name strategies.</summary>
public static class SubjectNames
{
    public static readonly string Rule = "must be one of topic, record, topic-record";

    /// <summary>The strategy a validated setting names (topic for anything else).</summary>
    public static SubjectNameStrategy Parse(string? name) => TryParse(name, out var strategy) ? strategy : SubjectNameStrategy.Topic;

    public static bool TryParse(string? name, out SubjectNameStrategy strategy)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "topic" or "topicname" or "topic-name":
                strategy = SubjectNameStrategy.Topic;
                return true;
            case "record" or "recordname" or "record-name":
                strategy = SubjectNameStrategy.Record;
                return true;
            case "topic-record" or "topicrecord" or "topicrecordname" or "topic-record-name":
                strategy = SubjectNameStrategy.TopicRecord;
                return true;
            default:
                strategy = default;
                return false;
        }
    }

    /// <summary>The value subject for <paramref name="topic"/> and a record named <paramref name="recordName"/> (Confluent's rules).</summary>
    public static string ValueSubject(SubjectNameStrategy strategy, string topic, string recordName) => strategy switch
    {
        SubjectNameStrategy.Record => recordName,
        SubjectNameStrategy.TopicRecord => $"{topic}-{recordName}",
        _ => $"{topic}-value",
    };
}
