using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using GameSignals.Events;
using GameSignals.Pipeline;

namespace GameSignals.Azure.Pipeline;

/// <summary>
/// Dead letters as blobs in the container <c>deadletters</c>: one blob per <see cref="DeadLetter.Name"/>
/// (<c>hub/partition/sequence-index</c>) holding the message's original bytes, with the reason and
/// position as metadata and the fields worth searching by as index tags. Writing a letter again
/// overwrites the same blob with the same content, so a redelivered batch leaves one copy.
/// </summary>
/// <remarks>
/// Metadata values are percent-encoded UTF-8 (<see cref="Uri.EscapeDataString(string)"/>), since headers
/// carry ASCII only; detail is cut to <see cref="MaxDetailLength"/> characters first.
/// </remarks>
public sealed class BlobDeadLetterStore(BlobServiceClient service) : IDeadLetterStore
{
    public const string ContainerName = "deadletters";
    public const int MaxDetailLength = 1024;

    private const int Concurrency = 8;

    private readonly BlobContainerClient _container = (service ?? throw new ArgumentNullException(nameof(service))).GetBlobContainerClient(ContainerName);

    public async ValueTask WriteAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(deadLetters, parallel, WriteOneAsync).ConfigureAwait(false);
    }

    private async ValueTask WriteOneAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(letter.Name);
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
            Metadata = MetadataOf(letter),
            Tags = TagsOf(letter),
        };
        var content = BinaryData.FromBytes(letter.Body);
        try
        {
            await blob.UploadAsync(content, options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // First dead letter of a new account: create the container once and write again.
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await blob.UploadAsync(content, options, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static Dictionary<string, string> MetadataOf(DeadLetter letter)
    {
        var origin = letter.Origin;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                metadata[name] = Uri.EscapeDataString(value);
            }
        }

        Add("reason", letter.Reason);
        Add("detail", letter.Detail.Length > MaxDetailLength ? letter.Detail[..MaxDetailLength] : letter.Detail);
        Add("hub", origin.Hub);
        Add("partition", origin.Partition);
        Add("offset", origin.Offset);
        Add("sequencenumber", origin.SequenceNumber.ToString(CultureInfo.InvariantCulture));
        Add("indexinmessage", letter.IndexInMessage.ToString(CultureInfo.InvariantCulture));
        Add("enqueuedtime", origin.EnqueuedTime?.ToString("O", CultureInfo.InvariantCulture));
        Add("eventid", letter.EventId);
        Add("source", letter.Source);
        return metadata;
    }

    /// <summary>Index tags, searchable across the account (Find Blobs by Tags): reason, hub, partition.</summary>
    internal static Dictionary<string, string> TagsOf(DeadLetter letter) => new()
    {
        ["reason"] = TagValue(letter.Reason),
        ["hub"] = TagValue(letter.Origin.Hub),
        ["partition"] = TagValue(letter.Origin.Partition),
    };

    // Tag values allow letters, digits, space and + - . / : = _ only, up to 256 characters.
    private static string TagValue(string value)
    {
        var chars = value.Length > 256 ? value[..256].ToCharArray() : value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && !" +-./:=_".Contains(chars[i], StringComparison.Ordinal))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
