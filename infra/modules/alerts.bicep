// Alerts on what an operator must act on: failing functions, dead letters, consumers falling
// behind, Cosmos DB throttling, push requests that will never be delivered, and IP range
// refreshes that fail or stop succeeding, and a log ingestion cap that silences the rest.

@description('Tags for every resource.')
param tags object

@description('Name prefix of the alert rules.')
param namePrefix string

@description('Azure region (log alerts are regional).')
param location string

@description('Email receiving alerts; empty for none (alerts still show in the portal).')
param alertEmail string

@description('Resource id of an existing action group to notify instead of creating one; empty to create one.')
param existingActionGroupId string

param appInsightsId string

@description('Log Analytics workspace behind Application Insights.')
param workspaceId string

@description('The workspace\'s daily ingestion cap in GB; -1 for none (then no cap alert).')
param logDailyQuotaGb int
param eventHubsNamespaceId string
param cosmosAccountId string
param queueServiceId string

@description('Failed function invocations in 5 minutes that raise an alert.')
param failedInvocationsThreshold int

@description('Seconds from enqueue in Event Hubs to the end of processing above which consumers are behind.')
param consumerLagSeconds int

@description('Throttled (429) Cosmos DB requests in 5 minutes that raise an alert.')
param throttledRequestsThreshold int

@description('Messages waiting in the account\'s queues (push-requests and its poison queue together) that raise an alert.')
param queueBacklogThreshold int

var createActionGroup = empty(existingActionGroupId)

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (createActionGroup) {
  name: '${namePrefix}-ops'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'gs-ops'
    enabled: true
    emailReceivers: empty(alertEmail)
      ? []
      : [
          {
            name: 'operations'
            emailAddress: alertEmail
            useCommonAlertSchema: true
          }
        ]
  }
}

var actionGroupId = createActionGroup ? actionGroup.id : existingActionGroupId

resource functionFailures 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: '${namePrefix}-function-failures'
  location: 'global'
  tags: tags
  properties: {
    description: 'Function invocations failed: a batch threw (transient store failure outlasting the retries) or a push send failed.'
    severity: 1
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'failed-invocations'
          metricNamespace: 'microsoft.insights/components'
          metricName: 'requests/failed'
          operator: 'GreaterThan'
          threshold: failedInvocationsThreshold
          timeAggregation: 'Count'
        }
      ]
    }
    autoMitigate: true
    actions: [
      {
        actionGroupId: actionGroupId
      }
    ]
  }
}

resource cosmosThrottling 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: '${namePrefix}-cosmos-throttling'
  location: 'global'
  tags: tags
  properties: {
    description: 'Cosmos DB answered 429 (request rate too large): throughput ceiling or a hot partition.'
    severity: 2
    enabled: true
    scopes: [
      cosmosAccountId
    ]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'throttled-requests'
          metricNamespace: 'Microsoft.DocumentDB/databaseAccounts'
          metricName: 'TotalRequests'
          dimensions: [
            {
              name: 'StatusCode'
              operator: 'Include'
              values: [
                '429'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: throttledRequestsThreshold
          timeAggregation: 'Count'
        }
      ]
    }
    autoMitigate: true
    actions: [
      {
        actionGroupId: actionGroupId
      }
    ]
  }
}

// A stalled consumer: events keep arriving on a hub the app reads while nothing is read from it.
// One rule per hub: with more than one condition, Azure Monitor allows one value per dimension.
resource consumerStalled 'Microsoft.Insights/metricAlerts@2026-01-01' = [
  for hub in ['game-events', 'payment-events']: {
    name: '${namePrefix}-eventhubs-consumer-stalled-${hub}'
    location: 'global'
    tags: tags
    properties: {
      description: 'Messages arrive on ${hub} but none are read: the function app is not consuming.'
      severity: 1
      enabled: true
      scopes: [
        eventHubsNamespaceId
      ]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT15M'
      criteria: {
        'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
        allOf: [
          {
            criterionType: 'StaticThresholdCriterion'
            name: 'incoming'
            metricNamespace: 'Microsoft.EventHub/namespaces'
            metricName: 'IncomingMessages'
            dimensions: [
              {
                name: 'EntityName'
                operator: 'Include'
                values: [
                  hub
                ]
              }
            ]
            operator: 'GreaterThan'
            threshold: 0
            timeAggregation: 'Total'
          }
          {
            criterionType: 'StaticThresholdCriterion'
            name: 'outgoing'
            metricNamespace: 'Microsoft.EventHub/namespaces'
            metricName: 'OutgoingMessages'
            dimensions: [
              {
                name: 'EntityName'
                operator: 'Include'
                values: [
                  hub
                ]
              }
            ]
            operator: 'LessThanOrEqual'
            threshold: 0
            timeAggregation: 'Total'
          }
        ]
      }
      autoMitigate: true
      actions: [
        {
          actionGroupId: actionGroupId
        }
      ]
    }
  }
]

// The storage metric has no per-queue dimension: this counts push-requests and
// push-requests-poison together and is reported hourly, so it catches a growing backlog;
// the poison log alert below names the poison queue exactly and within minutes.
resource queueBacklog 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: '${namePrefix}-push-queue-backlog'
  location: 'global'
  tags: tags
  properties: {
    description: 'Messages pile up in the push queues (push-requests and push-requests-poison).'
    severity: 3
    enabled: true
    scopes: [
      queueServiceId
    ]
    evaluationFrequency: 'PT1H'
    windowSize: 'PT6H'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'queued-messages'
          metricNamespace: 'Microsoft.Storage/storageAccounts/queueServices'
          metricName: 'QueueMessageCount'
          operator: 'GreaterThan'
          threshold: queueBacklogThreshold
          timeAggregation: 'Average'
        }
      ]
    }
    autoMitigate: true
    actions: [
      {
        actionGroupId: actionGroupId
      }
    ]
  }
}

// Log alerts read the Application Insights component's own tables (traces, customMetrics),
// which exist before any telemetry arrives. Each poison path has a custom metric (OpenTelemetry,
// tags in customDimensions) and a log event; a query counts both and the larger count wins, so
// either reaching Application Insights raises the alert.
type logAlert = {
  name: string
  description: string
  severity: int
  @description('How often the query runs (ISO 8601).')
  frequency: string
  @description('The period each evaluation covers (ISO 8601).')
  window: string
  @description('A longer period the query reads, when the condition needs more history than the window.')
  queryTimeRange: string?
  query: string
  @description('The query\'s one numeric column, compared with the threshold.')
  column: string
  operator: 'GreaterThan' | 'LessThan'
  threshold: int
}

var logAlerts logAlert[] = [
  {
    name: 'dead-letters'
    description: 'Events were dead-lettered (undecodable, invalid or oversized): a producer sends what the contract rejects.'
    severity: 2
    frequency: 'PT5M'
    window: 'PT15M'
    // The pipeline logs each dead letter (EventId 1, "Dead-lettered an event: ...") and counts it
    // on gamesignals.deadletters (tags reason, hub).
    query: '''
let fromLogs = traces | where message startswith "Dead-lettered an event" | summarize DeadLetters = todouble(count());
let fromMetric = customMetrics | where name == "gamesignals.deadletters" | summarize DeadLetters = todouble(sum(valueSum));
union fromLogs, fromMetric
| summarize DeadLetters = max(DeadLetters)
'''
    column: 'DeadLetters'
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    name: 'push-poison'
    description: 'Push requests will never be delivered: not JSON, refused by the provider, or failed their last attempt and moved to push-requests-poison.'
    severity: 2
    frequency: 'PT5M'
    window: 'PT15M'
    // The sender logs "Push poisoned: <reason>: ..." (EventIds 201, 203, 204) and counts
    // gamesignals.notifications.push.poisoned (tag reason); the Functions host logs each move:
    // "Message has reached MaxDequeueCount of N. Moving message to queue 'push-requests-poison'."
    query: '''
let fromHost = traces | where message has "MaxDequeueCount" and message has "push-requests-poison" | summarize Poisoned = todouble(count());
let fromLogs = traces | where message startswith "Push poisoned:" | summarize Poisoned = todouble(count());
let fromMetric = customMetrics | where name == "gamesignals.notifications.push.poisoned" | summarize Poisoned = todouble(sum(valueSum));
union fromHost, fromLogs, fromMetric
| summarize Poisoned = max(Poisoned)
'''
    column: 'Poisoned'
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    name: 'consumer-lag'
    description: 'Events wait too long between enqueue in Event Hubs and the end of their processing: consumers are behind.'
    severity: 2
    frequency: 'PT5M'
    window: 'PT5M'
    // gamesignals.event.latency: seconds from enqueue to end of processing, per event.
    query: '''
customMetrics
| where name == "gamesignals.event.latency"
| summarize LagSeconds = todouble(max(valueMax))
'''
    column: 'LagSeconds'
    operator: 'GreaterThan'
    threshold: consumerLagSeconds
  }
  {
    name: 'ipranges-refresh-failed'
    description: 'An IP range refresh failed (storage error) or refused a source download (download, oversize, parse, shrink): the published ranges may be stale.'
    severity: 3
    frequency: 'PT1H'
    window: 'PT1H'
    // The refresher logs "IP range source <file> refused (<reason>: ...)" (EventId 302) and
    // "IP ranges refresh failed: ..." (EventId 306), and counts gamesignals.ipranges.refused (tags
    // source, reason) and gamesignals.ipranges.refreshes (tag outcome).
    query: '''
let fromLogs = traces
| where message startswith "IP ranges refresh failed" or (message startswith "IP range source" and message has " refused (")
| summarize Failures = todouble(count());
let fromMetric = customMetrics
| where name == "gamesignals.ipranges.refused" or (name == "gamesignals.ipranges.refreshes" and tostring(customDimensions.outcome) in ("refused", "failed"))
| summarize Failures = todouble(sum(valueSum));
union fromLogs, fromMetric
| summarize Failures = max(Failures)
'''
    column: 'Failures'
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    name: 'ipranges-refresh-stale'
    description: 'No IP range refresh succeeded in 2 days: the daily IpRangesRefresh timer keeps failing or does not run.'
    severity: 2
    frequency: 'PT1H'
    window: 'PT1H'
    // Read from what the Functions host writes itself, not from the app's custom metrics, so it
    // fires even when no custom metric reaches Application Insights: the host's invocation counts
    // (Host.Aggregator, the customMetrics "IpRangesRefresh Successes" every 30 s; host.json keeps
    // `requests` rows for failed runs only), less the runs that logged that they refused every
    // source or failed (EventId 312, "IP ranges refresh: Refused|Failed, ..."; a Conflict means
    // another instance published). Two days is the longest time range a log alert may query; the
    // query answers only once the host has reported for a day, so a new deployment does not fire
    // before its first refresh.
    queryTimeRange: 'P2D'
    query: '''
let notPublished = toscalar(traces
| where message startswith "IP ranges refresh: Refused" or message startswith "IP ranges refresh: Failed"
| count);
let successes = toscalar(customMetrics
| where name == "IpRangesRefresh Successes"
| summarize sum(valueSum));
customMetrics
| summarize ReportingSince = min(timestamp)
| where ReportingSince < ago(1d)
| project Successes = todouble(coalesce(successes, 0.0)) - todouble(notPublished)
'''
    column: 'Successes'
    operator: 'LessThan'
    threshold: 1
  }
]

resource logAlertRules 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = [
  for alert in logAlerts: {
    name: '${namePrefix}-${alert.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: '${namePrefix}-${alert.name}'
      description: alert.description
      severity: alert.severity
      enabled: true
      scopes: [
        appInsightsId
      ]
      evaluationFrequency: alert.frequency
      windowSize: alert.window
      overrideQueryTimeRange: alert.?queryTimeRange
      criteria: {
        allOf: [
          {
            query: alert.query
            timeAggregation: 'Maximum'
            metricMeasureColumn: alert.column
            operator: alert.operator
            threshold: alert.threshold
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      autoMitigate: true
      actions: {
        actionGroups: [
          actionGroupId
        ]
      }
    }
  }
]


// Past the daily ingestion cap the workspace drops every log until the next day, which silences
// every log alert above; the workspace still writes its own operations log (_LogOperation).
resource ingestionCapReached 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = if (logDailyQuotaGb > 0) {
  name: '${namePrefix}-log-ingestion-cap-reached'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: '${namePrefix}-log-ingestion-cap-reached'
    description: 'The Log Analytics daily cap was reached: logs and every log alert are off until the cap resets.'
    severity: 1
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: '''
_LogOperation
| where Category =~ "Ingestion" and (Operation =~ "Data collection stopped" or Detail has "OverQuota")
| summarize Stops = todouble(count())
'''
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'Stops'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [
        actionGroupId
      ]
    }
  }
}

output actionGroupId string = actionGroupId
