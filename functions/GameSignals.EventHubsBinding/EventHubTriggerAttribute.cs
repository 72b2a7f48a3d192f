using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker;

/// <summary>
/// Declares an Event Hubs trigger, with the same name, namespace and properties as the attribute of
/// <c>Microsoft.Azure.Functions.Worker.Extensions.EventHubs</c>, so function code compiles unchanged
/// against either and the SDK writes the same <c>"type": "eventHubTrigger"</c> binding into
/// <c>functions.metadata</c>.
/// </summary>
/// <remarks>
/// It exists only because the official package is not served where this project is built and
/// tested. It carries no extension information, so a host given a build made with it has no Event
/// Hubs listener: release builds set <c>UseOfficialEventHubsExtension=true</c>, which references the
/// official package instead and makes the host load the WebJobs Event Hubs extension.
/// The official attribute declares that Event Hubs supports function-level retry; so does this one,
/// or the SDK would refuse the retry attribute on the Event Hubs functions (AZFW0012).
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter)]
[BindingCapabilities(KnownBindingCapabilities.FunctionLevelRetry)]
public sealed class EventHubTriggerAttribute(string eventHubName) : TriggerBindingAttribute, ISupportCardinality
{
    /// <summary>The event hub to read, or an app setting name in <c>%...%</c>.</summary>
    public string EventHubName { get; } = eventHubName;

    /// <summary>The consumer group; the hub's default group when null.</summary>
    public string? ConsumerGroup { get; set; }

    /// <summary>The app setting (or setting prefix, for identity-based connections) of the namespace.</summary>
    public string? Connection { get; set; }

    /// <summary>
    /// Whether the function receives batches. The SDK writes <c>"cardinality": "Many"</c> only when
    /// this is set at the use site, as with the official attribute.
    /// </summary>
    public bool IsBatched { get; set; } = true;

    Cardinality ISupportCardinality.Cardinality
    {
        get => IsBatched ? Cardinality.Many : Cardinality.One;
        set => IsBatched = value == Cardinality.Many;
    }
}
