namespace ClickstreamApi.Registry;

/// <summary>
/// An error as Confluent's Schema Registry answers it: an HTTP status and a body
/// <c>{"error_code": 40401, "message": "Subject 'x' not found."}</c>, with the codes its clients know.
/// </summary>
public sealed class RegistryException(int status, int errorCode, string message) : Exception(message)
{
    public int Status { get; } = status;

    public int ErrorCode { get; } = errorCode;

    public static RegistryException Unauthorized() => new(401, 40101, "Unauthorized: this registry's writes need the service's API key (X-Api-Key, or basic auth with the key as the password).");

    public static RegistryException SubjectNotFound(string subject) => new(404, 40401, $"Subject '{subject}' not found.");

    public static RegistryException VersionNotFound(string subject, int version) => new(404, 40402, $"Version {version} not found for subject '{subject}'.");

    public static RegistryException SchemaNotFound(int id) => new(404, 40403, $"Schema {id} not found");

    public static RegistryException SchemaNotFound() => new(404, 40403, "Schema not found");

    public static RegistryException SubjectSoftDeleted(string subject) => new(404, 40404, $"Subject '{subject}' was soft deleted.Set permanent=true to delete permanently");

    public static RegistryException SubjectNotSoftDeleted(string subject) => new(404, 40405, $"Subject '{subject}' was not deleted first before being permanently deleted");

    public static RegistryException VersionSoftDeleted(string subject, int version) => new(404, 40406, $"Subject '{subject}' Version {version} was soft deleted.Set permanent=true to delete permanently");

    public static RegistryException VersionNotSoftDeleted(string subject, int version) => new(404, 40407, $"Subject '{subject}' Version {version} was not deleted first before being permanently deleted");

    public static RegistryException SubjectCompatibilityNotConfigured(string subject) => new(404, 40408, $"Subject '{subject}' does not have subject-level compatibility configured");

    public static RegistryException SubjectModeNotConfigured(string subject) => new(404, 40409, $"Subject '{subject}' does not have subject-level mode configured");

    public static RegistryException Incompatible(string detail) => new(409, 409, $"Schema being registered is incompatible with an earlier schema for subject {detail}");

    public static RegistryException InvalidSchema(string detail) => new(422, 42201, $"Invalid schema {detail}");

    public static RegistryException InvalidVersion(string version) => new(422, 42202, $"The specified version '{version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");

    public static RegistryException InvalidCompatibilityLevel(string? level) => new(422, 42203, $"Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive (it is '{level}')");

    public static RegistryException InvalidMode(string? mode) => new(422, 42204, $"Invalid mode. Valid values are READWRITE, READONLY, IMPORT (it is '{mode}')");

    public static RegistryException BadRequest(string detail) => new(400, 400, detail);

    public static RegistryException NotFound() => new(404, 404, "HTTP 404 Not Found");

    public static RegistryException MethodNotAllowed() => new(405, 405, "HTTP 405 Method Not Allowed");

    public static RegistryException UnsupportedMediaType() => new(415, 415, "HTTP 415 Unsupported Media Type");

    public static RegistryException TooLarge(long limit) => new(413, 413, $"HTTP 413 Payload Too Large: request bodies are at most {limit} bytes");
}
