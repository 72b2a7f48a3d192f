namespace GameSignals.Pipeline;

/// <summary>What kind of transient failure a store or outbound client reported.</summary>
public enum TransientFailure
{
    /// <summary>Too many requests (HTTP 429); <see cref="TransientStoreException.RetryAfter"/> says when to come back.</summary>
    Throttled,

    /// <summary>The service could not take the request (HTTP 503 and its kin).</summary>
    Unavailable,

    /// <summary>No answer in time (HTTP 408 or a client timeout): the operation may or may not have been applied.</summary>
    Timeout,
}

/// <summary>
/// A store or outbound client could not do an operation now; the same call can succeed later. Core's own
/// word for it, so <see cref="StoreRetry"/> needs no Azure SDK: adapters' SDK exceptions are recognised by
/// an <see cref="ITransientFailureClassifier"/>.
/// </summary>
public sealed class TransientStoreException : Exception
{
    public TransientStoreException() { }

    public TransientStoreException(string message) : base(message) { }

    public TransientStoreException(string message, Exception inner) : base(message, inner) { }

    public TransientStoreException(TransientFailure failure, string message, TimeSpan? retryAfter = null)
        : base(message)
    {
        Failure = failure;
        RetryAfter = retryAfter;
    }

    public TransientFailure Failure { get; } = TransientFailure.Unavailable;

    public TimeSpan? RetryAfter { get; }
}

/// <summary>Tells transient failures of one SDK from the rest (the Azure adapters register one for Cosmos and Storage).</summary>
public interface ITransientFailureClassifier
{
    /// <summary>The failure's kind and server-requested delay when <paramref name="exception"/> is worth retrying; null otherwise.</summary>
    (TransientFailure Failure, TimeSpan? RetryAfter)? Classify(Exception exception);
}
