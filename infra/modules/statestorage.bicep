// Premium block blob account (BlockBlobStorage) holding the partitions' state: per Event Hubs
// partition, snapshots and the changelog that every batch appends to once (docs/design.md, "State
// with its partition" and "Partition state on a Premium block blob account"). Premium bills write
// operations at a fraction of a Standard hot account's and answers on SSDs, and that append sits
// on every batch's path. Blobs only: the host's leases and checkpoints, the queues and the other
// containers stay on the main account (storage.bicep).

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Replication SKU: Premium block blob accounts offer LRS and ZRS.')
@allowed([
  'Premium_LRS'
  'Premium_ZRS'
])
param skuName string

@description('Public network access: Disabled needs private endpoints and VNet integration, which this template does not create.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

@description('Log Analytics workspace receiving diagnostics.')
param workspaceId string

@description('Send one log row per blob request (StorageRead/Write/Delete); metrics always go.')
param perRequestLogs bool

// The name BlobPartitionStateStore uses.
var containerName = 'partition-state'

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'BlockBlobStorage'
  sku: {
    name: skuName
  }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
      bypass: 'AzureServices'
    }
  }
}

// No soft delete and no lifecycle rule: the app deletes a partition's generations older than the
// previous one itself when it starts a new generation (BlobPartitionStateStore), and recovery reads
// only the two newest. Soft delete would keep every replaced generation (tens of MB per partition
// every few hours) at premium capacity prices and serve nothing recovery uses.
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: false
    }
  }
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: containerName
  properties: {
    publicAccess: 'None'
  }
}

resource accountDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: workspaceId
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: workspaceId
    logs: perRequestLogs
      ? [
          {
            category: 'StorageRead'
            enabled: true
          }
          {
            category: 'StorageWrite'
            enabled: true
          }
          {
            category: 'StorageDelete'
            enabled: true
          }
        ]
      : []
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
