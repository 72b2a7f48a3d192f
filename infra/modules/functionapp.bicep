// The function app on the Flex Consumption plan (FC1), with the user-assigned identity (identity.bicep)
// that every connection uses. All app settings are in the one `appSettings` object below.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Function app name.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('azd service name the app is tagged with, so `azd deploy` finds it.')
param azdServiceName string

@description('Resource id of the app\'s user-assigned identity.')
param identityId string

@description('Client id of that identity: every identity-based connection names it.')
param identityClientId string

@description('Storage account of the Functions host (AzureWebJobsStorage) and the app\'s queues and blobs.')
param storageAccountName string

@description('Blob service endpoint of that account.')
param blobEndpoint string

@description('Queue service endpoint of that account.')
param queueEndpoint string

@description('Blob endpoint of the partitions\' state account; empty: the state shares the main account (blobEndpoint).')
param partitionStateBlobEndpoint string

@description('URL of the blob container the plan deploys the package from.')
param deploymentContainerUrl string

@description('Event Hubs namespace host name.')
param eventHubsNamespace string

@description('Cosmos DB account endpoint.')
param cosmosEndpoint string

@description('Cosmos DB database name.')
param cosmosDatabaseName string

@description('AI Search endpoint.')
param searchEndpoint string

@description('AI Search index of player profiles (created by the app).')
param searchIndexName string

@description('Application Insights connection string (not a secret: ingestion needs an Entra token).')
param appInsightsConnectionString string

@description('NCRONTAB schedule of the IP ranges refresh timer.')
param ipRangesSchedule string

@description('NCRONTAB schedule of the profile renormalisation timer.')
param profilesRenormalizeSchedule string

@description('Games whose profiles the renormalisation timer refreshes.')
param profileGames array
@description('Push provider of the PushSender function (Push__Provider); off keeps notifications in the inbox only, so a first deployment runs before a webhook or FCM is set up.')
@allowed([
  'webhook'
  'fcm'
  'off'
])
param pushProvider string

@description('URL push requests are posted to when pushProvider is webhook (Push__Webhook__Url).')
param pushWebhookUrl string

@description('Key Vault secret URI of the webhook signing secret; the app reads it as a Key Vault reference (Push__Webhook__Secret). Empty: none.')
param pushWebhookSecretUri string

@description('Key Vault secret URI of the FCM service account key JSON; the app reads it as a Key Vault reference (Push__Fcm__ServiceAccountJson). Empty: none.')
param pushFcmServiceAccountSecretUri string

@description('.NET isolated runtime version. Only \'10.0\': ARM accepts \'10\' and the host then fails to start (Azure/Azure-Functions issue 2666).')
@allowed([
  '10.0'
])
param dotnetVersion string

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Most instances the app scales out to (Event Hubs triggers use at most one per partition).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Instances kept warm, e.g. [ { name: \'function:GameEvents\', instanceCount: 1 } ] (billed while idle).')
param alwaysReady array

@description('Concurrent HTTP requests per instance (admin API).')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int

@description('Client id of the Entra ID app registration the console signs in with (App Service Authentication); empty: no sign-in, so only function keys reach the admin API and the console answers 401.')
param consoleClientId string

@description('Public network access of the app\'s endpoints.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string


// ---- APP SETTINGS (the only place app settings are defined) ----------------------------------
// Identity-based forms only: every `__` setting is an endpoint the app and the Functions host
// reach with the app's managed identity (DefaultAzureCredential / the host's identity-based
// connections). No key, SAS or connection string with a secret appears here. FUNCTIONS_* runtime
// settings do not belong on Flex Consumption: the runtime is set in functionAppConfig.
var appSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  EventHubs__fullyQualifiedNamespace: eventHubsNamespace
  EventHubs__credential: 'managedidentity'
  EventHubs__clientId: identityClientId
  // DefaultAzureCredential in the worker (Cosmos DB, Storage, AI Search, the fraud-actions producer,
  // the telemetry exporter) picks the user-assigned identity by this client id.
  AZURE_CLIENT_ID: identityClientId
  Cosmos__AccountEndpoint: cosmosEndpoint
  Cosmos__Database: cosmosDatabaseName
  Storage__blobServiceUri: blobEndpoint
  Storage__queueServiceUri: queueEndpoint
  // The Premium block blob account of the partitions' state; empty: they share Storage.
  PartitionStateStorage__blobServiceUri: partitionStateBlobEndpoint
  Search__endpoint: searchEndpoint
  Search__indexName: searchIndexName
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  // Entra ID auth for the host's telemetry with the user-assigned identity; the worker's exporter reads it too.
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  IpRanges__Schedule: ipRangesSchedule
  IpRanges__PointerCheckInterval: '00:01:00'
  IpRanges__Sources__Aws__Url: 'https://ip-ranges.amazonaws.com/ip-ranges.json'
  IpRanges__Sources__Gcp__Url: 'https://www.gstatic.com/ipranges/cloud.json'
  IpRanges__Sources__Ip2Asn__Url: 'https://iptoasn.com/data/ip2asn-combined.tsv.gz'
  PartitionState__DuplicateWindow: '1.00:00:00'
  Cosmos__MaxConcurrency: '16'
  Cosmos__OperationTimeout: '00:00:10'
  Notifications__InboxTtl: '30.00:00:00'
  Notifications__ShadowRetention: '30.00:00:00'
  Notifications__RuleRefreshInterval: '00:00:02'
  Fraud__ConfigRefreshInterval: '00:00:05'
  Fraud__SightingRetention: '1.00:00:00'
  Profiles__RenormalizeSchedule: profilesRenormalizeSchedule
  Profiles__Games: join(profileGames, ',')
  Profiles__MaterializeEvery: '04:00:00'
  Push__Provider: pushProvider
  Push__Webhook__Url: pushWebhookUrl
  // Secrets only as Key Vault references, resolved by the platform with the app's identity.
  Push__Webhook__Secret: empty(pushWebhookSecretUri) ? '' : '@Microsoft.KeyVault(SecretUri=${pushWebhookSecretUri})'
  Push__Fcm__ServiceAccountJson: empty(pushFcmServiceAccountSecretUri) ? '' : '@Microsoft.KeyVault(SecretUri=${pushFcmServiceAccountSecretUri})'
  // Only with App Service Authentication in front is X-MS-CLIENT-PRINCIPAL the platform's: the app trusts it then only.
  Admin__AppServiceAuthentication: string(!empty(consoleClientId))
  // A 16 MB young generation: the runtime sizes it from the CPU's cache, up to tens of MB, and each young collection
  // then paused a partition's batches long enough to be the latency tail (docs/design.md, "A fixed young generation").
  // The runtime reads this knob from the environment only.
  DOTNET_GCgen0size: '0x1000000'
}
// ---- END APP SETTINGS ------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': azdServiceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    // Key Vault references (Push__*) resolve with the user-assigned identity, not a system one.
    keyVaultReferenceIdentity: identityId
    httpsOnly: true
    publicNetworkAccess: publicNetworkAccess
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        for setting in items(appSettings): {
          name: setting.key
          value: setting.value
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReady
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
    }
  }
}

// Sign-in for the console: App Service Authentication with Entra ID, validating the user's session or token and
// passing the user and their app roles (Viewer, LiveOps, Security, Admin) to the app in X-MS-CLIENT-PRINCIPAL.
// Unauthenticated requests are let through (AllowAnonymous), because automation calls /api/... with a function
// key and no token, and authsettingsV2 can require sign-in only for the whole site; the app itself requires it
// on the console's paths (/api/console/...: a page redirects to /.auth/login/aad, the API answers 401).
// Without a client secret the sign-in uses ID tokens (the registration must allow them, infra/README.md).
resource authSettings 'Microsoft.Web/sites/config@2025-03-01' = if (!empty(consoleClientId)) {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
    }
    login: {
      tokenStore: {
        enabled: true
      }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: consoleClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            consoleClientId
            'api://${consoleClientId}'
          ]
        }
      }
    }
  }
}

// No publishing with user names and passwords: deployments authenticate with Entra ID.
// ARM answers 400 "The parameter location has an invalid value" without a location on these
// (Azure/bicep-types-az issues 1317, 1526, 1529), though the type says it is read-only.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  #disable-next-line BCP187
  location: location
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'scm'
  #disable-next-line BCP187
  location: location
  properties: {
    allow: false
  }
}

// No diagnostic settings here: the Flex Consumption plan does not support them (documented
// limitation). The app's logs, requests and dependencies go to Application Insights instead,
// and the plan's platform metrics (executions, memory) are in Azure Monitor without a setting.

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output appSettingNames array = objectKeys(appSettings)
