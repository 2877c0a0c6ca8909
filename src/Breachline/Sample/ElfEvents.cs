namespace Breachline.Sample;

/// <summary>The Event Monitoring event types the sample writes, one CSV file each.</summary>
internal enum ElfKind
{
    Login,
    Logout,
    Api,
    RestApi,
    BulkApi,
    BulkApi2,
    ApiTotalUsage,
    UniqueQuery,
    ReportExport,
    Uri,
    AuraRequest,
}

/// <summary>
/// One log event before formatting: small and mostly references to shared strings, so that a day of
/// background fits in memory while events are put in time order.
/// </summary>
internal struct ElfEvent
{
    public long Ms;
    public long Seq;
    public ElfKind Kind;
    public int User;
    public long Session;
    public int Rows;
    public int Status;
    public string? Entity;
    public string? Uri;
    public string? Text;
    public string? Method;
    public string? Ip;
    public string? Agent;
    public string? Extra;
    public string? RecordId;
    public string? RequestId;
}

/// <summary>Column lists per event type (real headers where a real file was seen; see docs/sample.md).</summary>
internal static class ElfColumns
{
    public static readonly string[] Login =
    [
        "EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID", "RUN_TIME", "CPU_TIME", "URI", "SESSION_KEY", "LOGIN_KEY",
        "USER_TYPE", "REQUEST_STATUS", "DB_TOTAL_TIME", "LOGIN_TYPE", "BROWSER_TYPE", "API_TYPE", "API_VERSION", "USER_NAME", "TLS_PROTOCOL",
        "CIPHER_SUITE", "AUTHENTICATION_METHOD_REFERENCE", "LOGIN_SUB_TYPE", "TIMESTAMP_DERIVED", "USER_ID_DERIVED", "CLIENT_IP",
        "URI_ID_DERIVED", "LOGIN_STATUS", "SOURCE_IP",
    ];

    public static readonly string[] Logout =
    [
        "EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID", "USER_TYPE", "SESSION_TYPE", "SESSION_LEVEL", "BROWSER_TYPE",
        "PLATFORM_TYPE", "RESOLUTION_TYPE", "APP_TYPE", "CLIENT_VERSION", "API_TYPE", "API_VERSION", "USER_INITIATED_LOGOUT", "SESSION_KEY",
        "LOGIN_KEY", "TIMESTAMP_DERIVED", "USER_ID_DERIVED", "CLIENT_IP",
    ];

    public static readonly string[] Api =
    [
        "EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID", "RUN_TIME", "CPU_TIME", "URI", "SESSION_KEY", "LOGIN_KEY",
        "USER_TYPE", "REQUEST_STATUS", "DB_TOTAL_TIME", "DB_BLOCKS", "DB_CPU_TIME", "API_TYPE", "API_VERSION", "CLIENT_NAME", "METHOD_NAME",
        "ENTITY_NAME", "ROWS_PROCESSED", "REQUEST_SIZE", "RESPONSE_SIZE", "EXCEPTION_MESSAGE", "TIMESTAMP_DERIVED", "USER_ID_DERIVED",
        "CLIENT_IP", "URI_ID_DERIVED",
    ];

    public static readonly string[] RestApi =
    [
        "EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID", "RUN_TIME", "CPU_TIME", "URI", "SESSION_KEY", "LOGIN_KEY",
        "USER_TYPE", "REQUEST_STATUS", "DB_TOTAL_TIME", "DB_BLOCKS", "DB_CPU_TIME", "METHOD", "MEDIA_TYPE", "STATUS_CODE", "USER_AGENT",
        "ENTITY_NAME", "NUMBER_FIELDS", "ROWS_PROCESSED", "REQUEST_SIZE", "RESPONSE_SIZE", "EXCEPTION_MESSAGE", "TIMESTAMP_DERIVED",
        "USER_ID_DERIVED", "CLIENT_IP", "URI_ID_DERIVED",
    ];

    public static readonly string[] BulkApi =
    [
        "EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID", "RUN_TIME", "CPU_TIME", "URI", "SESSION_KEY", "LOGIN_KEY",
        "JOB_ID", "BATCH_ID", "ENTITY_TYPE", "OPERATION_TYPE", "ROWS_PROCESSED", "NUMBER_FAILURES", "SUCCESS", "MESSAGE", "TIMESTAMP_DERIVED",
        "USER_ID_DERIVED", "CLIENT_IP", "URI_ID_DERIVED",
    ];

    public static readonly string[] BulkApi2 =
    [
        "EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID", "RUN_TIME", "CPU_TIME", "URI", "SESSION_KEY", "LOGIN_KEY",
        "JOB_ID", "JOB_STATUS", "ENTITY_TYPE", "OPERATION_TYPE", "ROWS_PROCESSED", "NUMBER_FAILURES", "ERROR_MESSAGE", "TIMESTAMP_DERIVED",
        "USER_ID_DERIVED", "CLIENT_IP", "URI_ID_DERIVED",
    ];

    public static readonly string[] ApiTotalUsage =
    [
        "EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID", "API_FAMILY", "API_VERSION", "API_RESOURCE", "CLIENT_NAME",
        "HTTP_METHOD", "ENTITY_NAME", "STATUS_CODE", "CONNECTED_APP_ID", "COUNTS_AGAINST_API_LIMIT", "API_CLIENT_CATEGORY", "TIMESTAMP_DERIVED",
        "USER_ID_DERIVED", "CLIENT_IP",
    ];

    public static readonly string[] UniqueQuery =
    [
        "EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID", "SESSION_KEY", "LOGIN_KEY", "QUERY_IDENTIFIER", "QUERY_TYPE",
        "SQL_ID", "TIMESTAMP_DERIVED", "USER_ID_DERIVED",
    ];

    public static readonly string[] ReportExport =
    [
        "EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID", "SESSION_KEY", "LOGIN_KEY", "CLIENT_IP", "CLIENT_INFO", "URI",
        "REPORT_DESCRIPTION", "TIMESTAMP_DERIVED", "USER_ID_DERIVED", "URI_ID_DERIVED",
    ];

    public static readonly string[] Uri =
    [
        "EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID", "RUN_TIME", "CPU_TIME", "URI", "SESSION_KEY", "LOGIN_KEY",
        "USER_TYPE", "REQUEST_STATUS", "DB_TOTAL_TIME", "DB_BLOCKS", "DB_CPU_TIME", "REFERRER_URI", "TIMESTAMP_DERIVED", "USER_ID_DERIVED",
        "CLIENT_IP", "URI_ID_DERIVED",
    ];

    public static readonly string[] AuraRequest =
    [
        "EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID", "RUN_TIME", "CPU_TIME", "URI", "SESSION_KEY", "LOGIN_KEY",
        "USER_TYPE", "REQUEST_STATUS", "DB_TOTAL_TIME", "ACTION_MESSAGE", "ACTION_MESSAGE_LENGTH", "REQUEST_METHOD", "USER_AGENT",
        "TIMESTAMP_DERIVED", "USER_ID_DERIVED", "CLIENT_IP", "URI_ID_DERIVED",
    ];

    public static string[] For(ElfKind kind) => kind switch
    {
        ElfKind.Login => Login,
        ElfKind.Logout => Logout,
        ElfKind.Api => Api,
        ElfKind.RestApi => RestApi,
        ElfKind.BulkApi => BulkApi,
        ElfKind.BulkApi2 => BulkApi2,
        ElfKind.ApiTotalUsage => ApiTotalUsage,
        ElfKind.UniqueQuery => UniqueQuery,
        ElfKind.ReportExport => ReportExport,
        ElfKind.Uri => Uri,
        ElfKind.AuraRequest => AuraRequest,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string EventType(ElfKind kind) => kind switch
    {
        ElfKind.Login => "Login",
        ElfKind.Logout => "Logout",
        ElfKind.Api => "API",
        ElfKind.RestApi => "RestApi",
        ElfKind.BulkApi => "BulkApi",
        ElfKind.BulkApi2 => "BulkApi2",
        ElfKind.ApiTotalUsage => "ApiTotalUsage",
        ElfKind.UniqueQuery => "UniqueQuery",
        ElfKind.ReportExport => "ReportExport",
        ElfKind.Uri => "URI",
        ElfKind.AuraRequest => "AuraRequest",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
