using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace GameSignals.Experiments;

/// <summary>The arm of a player in an experiment.</summary>
public enum Arm
{
    /// <summary>Gets the stats messages.</summary>
    Treatment,

    /// <summary>Gets none; what they would have received is recorded.</summary>
    Control,
}

/// <summary>
/// Which arm a player is in: XxHash64 of the length-prefixed experiment id and user id (UTF-8), as a fraction of 2^64, is
/// the player's bucket in [0, 1); below the treatment share is treatment. It needs no storage, so every instance, both hubs'
/// partitions and every replay compute the same arm, and a new experiment id reshuffles players.
/// </summary>
public static class ExperimentArms
{
    public static Arm Of(string experimentId, string userId, double treatmentShare) =>
        Bucket(experimentId, userId) < treatmentShare ? Arm.Treatment : Arm.Control;

    /// <summary>The player's bucket in [0, 1).</summary>
    public static double Bucket(string experimentId, string userId)
    {
        ArgumentNullException.ThrowIfNull(experimentId);
        ArgumentNullException.ThrowIfNull(userId);
        var bytes = new byte[8 + Encoding.UTF8.GetByteCount(experimentId) + Encoding.UTF8.GetByteCount(userId)];
        var at = 0;
        foreach (var text in (ReadOnlySpan<string>)[experimentId, userId])
        {
            var length = Encoding.UTF8.GetBytes(text, bytes.AsSpan(at + 4));
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), length);
            at += 4 + length;
        }

        // The top 53 bits make an exact double in [0, 1).
        return (XxHash64.HashToUInt64(bytes) >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>The arm's name as outputs and the admin API write it.</summary>
    public static string Name(Arm arm) => arm == Arm.Treatment ? "treatment" : "control";
}
