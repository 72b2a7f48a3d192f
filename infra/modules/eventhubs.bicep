// Event Hubs namespace with the three hubs of the contract and the app's consumer groups.
// Entra ID only: no SAS keys exist that could leak.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Namespace name.')
param name string

@description('Standard gives consumer groups beyond $Default and up to 7 days retention; Premium isolates capacity.')
@allowed([
  'Standard'
  'Premium'
])
param skuName string

@description('Throughput units (Standard) or processing units (Premium) provisioned.')
@minValue(1)
param capacity int

@description('Standard only: the ceiling auto-inflate may raise throughput units to; 0 turns auto-inflate off.')
@minValue(0)
@maxValue(40)
param maximumThroughputUnits int

@description('Partitions of game-events: the ceiling of parallel consumers, fixed for Standard once created.')
@minValue(1)
param gameEventsPartitions int

@description('Partitions of payment-events.')
@minValue(1)
param paymentEventsPartitions int

@description('Partitions of fraud-actions.')
@minValue(1)
param fraudActionsPartitions int

@description('Hours an event stays readable: the window in which a stopped consumer can catch up or a replay can re-read.')
@minValue(1)
param retentionHours int

@description('Public network access.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

@description('Log Analytics workspace receiving diagnostics.')
param workspaceId string

var hubs = [
  {
    name: 'game-events'
    partitionCount: gameEventsPartitions
    consumerGroup: 'gamesignals-game'
  }
  {
    name: 'payment-events'
    partitionCount: paymentEventsPartitions
    consumerGroup: 'gamesignals-payment'
  }
  {
    // Written by the app for downstream enforcement; its readers bring their own consumer groups.
    name: 'fraud-actions'
    partitionCount: fraudActionsPartitions
    consumerGroup: ''
  }
]

var autoInflate = skuName == 'Standard' && maximumThroughputUnits > 0

resource namespace 'Microsoft.EventHub/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuName
    capacity: capacity
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: publicNetworkAccess
    isAutoInflateEnabled: autoInflate
    maximumThroughputUnits: autoInflate ? maximumThroughputUnits : 0
  }
}

resource eventHubs 'Microsoft.EventHub/namespaces/eventhubs@2026-01-01' = [
  for hub in hubs: {
    parent: namespace
    name: hub.name
    properties: {
      partitionCount: hub.partitionCount
      retentionDescription: {
        cleanupPolicy: 'Delete'
        retentionTimeInHours: retentionHours
      }
    }
  }
]

resource consumerGroups 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2026-01-01' = [
  for (hub, i) in hubs: if (!empty(hub.consumerGroup)) {
    parent: eventHubs[i]
    name: empty(hub.consumerGroup) ? 'unused' : hub.consumerGroup
  }
]

// The console reads a player's last events back from the two input hubs (EventHubRecentEvents) in a group of its own,
// so its readers never contend with the triggers' exclusive ones.
resource consoleConsumerGroups 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2026-01-01' = [
  for (hub, i) in hubs: if (!empty(hub.consumerGroup)) {
    parent: eventHubs[i]
    name: 'gamesignals-console'
  }
]

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output id string = namespace.id
output name string = namespace.name
// From the namespace itself (https://NAME.servicebus.windows.net:443/), right in every cloud.
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
