// Alerts on what an operator must act on: failing functions, dead letters, consumers falling
// behind, Cosmos DB throttling and push requests that exhausted their retries.

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
resource consumerStalled 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: '${namePrefix}-eventhubs-consumer-stalled'
  location: 'global'
  tags: tags
  properties: {
    description: 'Messages arrive on game-events or payment-events but none are read: the function app is not consuming.'
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
                'game-events'
                'payment-events'
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
                'game-events'
                'payment-events'
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
// which exist before any telemetry arrives.
var logAlerts = [
  {
    name: 'dead-letters'
    description: 'Events were dead-lettered (undecodable, invalid or oversized): a producer sends what the contract rejects.'
    severity: 2
    // The pipeline logs each dead letter (EventId 1, "Dead-lettered an event: ...") and counts it
    // on the custom metric gamesignals.deadletters; whichever arrives, the larger count wins.
    query: '''
let fromLogs = traces | where message startswith "Dead-lettered an event" | summarize DeadLetters = todouble(count());
let fromMetric = customMetrics | where name == "gamesignals.deadletters" | summarize DeadLetters = todouble(sum(valueSum));
union fromLogs, fromMetric
| summarize DeadLetters = max(DeadLetters)
'''
    column: 'DeadLetters'
    threshold: 0
  }
  {
    name: 'push-poison'
    description: 'Push requests exhausted their retries and were moved to push-requests-poison.'
    severity: 2
    // The Functions host logs each move: "Message has reached MaxDequeueCount of N. Moving message to queue 'push-requests-poison'."
    query: '''
traces
| where message has "MaxDequeueCount" and message has "push-requests-poison"
| summarize Poisoned = todouble(count())
'''
    column: 'Poisoned'
    threshold: 0
  }
  {
    name: 'consumer-lag'
    description: 'Events wait too long between enqueue in Event Hubs and the end of their processing: consumers are behind.'
    severity: 2
    // gamesignals.event.latency: seconds from enqueue to end of processing, per event.
    query: '''
customMetrics
| where name == "gamesignals.event.latency"
| summarize LagSeconds = todouble(max(valueMax))
'''
    column: 'LagSeconds'
    threshold: consumerLagSeconds
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
      evaluationFrequency: 'PT5M'
      windowSize: 'PT5M'
      criteria: {
        allOf: [
          {
            query: alert.query
            timeAggregation: 'Maximum'
            metricMeasureColumn: alert.column
            operator: 'GreaterThan'
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

output actionGroupId string = actionGroupId
