using System.ComponentModel.DataAnnotations;

namespace GameSignals.Azure.Cosmos;

/// <summary>The <c>Cosmos</c> configuration section.</summary>
public sealed class CosmosOptions
{
    public const string SectionName = "Cosmos";

    /// <summary>The account endpoint, e.g. <c>https://ACCOUNT.documents.azure.com:443/</c>.</summary>
    [Required(ErrorMessage = "Cosmos:AccountEndpoint is required: the account's endpoint, e.g. https://ACCOUNT.documents.azure.com:443/.")]
    public Uri? AccountEndpoint { get; set; }

    /// <summary>An account key, only for a local emulator; in Azure the app signs in with its managed identity.</summary>
    public string? Key { get; set; }

    [Required(ErrorMessage = "Cosmos:Database is required.")]
    [RegularExpression("^[^/\\\\?#]{1,255}$", ErrorMessage = "Cosmos:Database must be 1 to 255 characters without / \\ ? #.")]
    public string Database { get; set; } = "gamesignals";

    /// <summary>
    /// True only for a local emulator or stand-in with a self-signed certificate: the client then uses
    /// Gateway mode, talks to the given endpoint only and accepts its certificate.
    /// </summary>
    public bool IsLocalEmulator { get; set; }

    /// <summary>
    /// Create the database and containers when missing. Off in Azure, where the infrastructure creates
    /// them (Cosmos data-plane roles cannot create databases or containers).
    /// </summary>
    public bool CreateResources { get; set; }

    /// <summary>Point operations in flight at once for one batch.</summary>
    [Range(1, 256, ErrorMessage = "Cosmos:MaxConcurrency must be from 1 to 256.")]
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>
    /// How long one Cosmos request may take (the client's request timeout), so a caller waiting on an account
    /// that does not answer gets an error within this time instead of hanging.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Cosmos:OperationTimeout must be from 1 s to 5 minutes.")]
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
