namespace GameSignals.Azure.Cosmos;

/// <summary>The <c>Cosmos</c> configuration section.</summary>
public sealed class CosmosOptions
{
    public const string SectionName = "Cosmos";

    /// <summary>The account endpoint, e.g. <c>https://ACCOUNT.documents.azure.com:443/</c>.</summary>
    public Uri? AccountEndpoint { get; set; }

    /// <summary>An account key, only for a local emulator; in Azure the app signs in with its managed identity.</summary>
    public string? Key { get; set; }

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

    /// <summary>How long the ledger remembers a processed event (the <c>events</c> container's TTL).</summary>
    public TimeSpan LedgerRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Point operations in flight at once for one batch.</summary>
    public int MaxConcurrency { get; set; } = 16;
}
