// Azure AI Search service for the player-profile vector index. The index itself is created by
// the app at start-up (in the background, retried) with a custom role limited to index
// definitions (roles.bicep); this only provisions the service, Entra ID only.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Search service name.')
param name string

@description('Pricing tier.')
@allowed([
  'free'
  'basic'
  'standard'
  'standard2'
  'standard3'
])
param skuName string

@description('Replicas: 2 gives the read SLA, 3 the read-write SLA.')
@minValue(1)
@maxValue(12)
param replicaCount int

@description('Partitions: storage and indexing throughput.')
@allowed([
  1
  2
  3
  4
  6
  12
])
param partitionCount int

@description('Public network access.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

@description('Log Analytics workspace receiving diagnostics.')
param workspaceId string

resource search 'Microsoft.Search/searchServices@2025-05-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
  }
  properties: {
    replicaCount: replicaCount
    partitionCount: partitionCount
    hostingMode: 'Default'
    // API keys off: only role assignments grant access (authOptions must be absent then).
    disableLocalAuth: true
    semanticSearch: 'disabled'
    publicNetworkAccess: toLower(publicNetworkAccess)
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: search
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

output id string = search.id
output name string = search.name
output endpoint string = search.properties.endpoint
