import type { INodeProperties } from 'n8n-workflow';

/** The Profile Sync node's parameters. */
export const properties: INodeProperties[] = [
  {
    displayName: 'Source',
    name: 'source',
    type: 'options',
    noDataExpression: true,
    options: [
      {
        name: 'Genesys Cloud Items From the Input',
        value: 'input',
        description: 'Items of the Genesys Cloud node (a conversation customer or an external contact)',
      },
      {
        name: 'Conversation ID',
        value: 'conversationId',
        description: 'Read the customer of a Genesys Cloud conversation',
      },
      {
        name: 'External Contact ID',
        value: 'externalContactId',
        description: 'Read a Genesys Cloud external contact',
      },
    ],
    default: 'input',
  },
  {
    displayName: 'Conversation ID',
    name: 'conversationId',
    type: 'string',
    default: '',
    required: true,
    displayOptions: { show: { source: ['conversationId'] } },
  },
  {
    displayName: 'Contact ID',
    name: 'contactId',
    type: 'string',
    default: '',
    required: true,
    displayOptions: { show: { source: ['externalContactId'] } },
  },
  {
    displayName: 'Sync to NICE CXone',
    name: 'syncToCxone',
    type: 'boolean',
    default: true,
    description: "Whether to write the customer card's custom fields (the customer is found, never created)",
  },
  {
    displayName: 'Sync to Cognigy.AI',
    name: 'syncToCognigy',
    type: 'boolean',
    default: true,
    description: 'Whether to write the contact profile (created when missing, unless turned off below)',
  },
  {
    displayName: 'Cognigy.AI Project ID',
    name: 'cognigyProjectId',
    type: 'string',
    default: '',
    required: true,
    displayOptions: { show: { syncToCognigy: [true] } },
  },
  {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add option',
    default: {},
    options: [
      {
        displayName: 'Cognigy.AI Profile ID',
        name: 'cognigyProfileId',
        type: 'string',
        default: '',
        description: 'Write this profile instead of finding one by contact IDs',
      },
      {
        displayName: 'Create Missing Cognigy.AI Profiles',
        name: 'createMissingProfiles',
        type: 'boolean',
        default: true,
        description: 'Whether to create a profile for a customer who has none',
      },
      {
        displayName: 'CXone Customer ID',
        name: 'cxoneCustomerId',
        type: 'string',
        default: '',
        description: 'Write this CXone customer instead of finding one by phone number, then e-mail address',
      },
      {
        displayName: 'Dry Run',
        name: 'dryRun',
        type: 'boolean',
        default: false,
        description: 'Whether to only report what would be written, writing nothing',
      },
      {
        displayName: 'Ignore Cognigy.AI Consent',
        name: 'ignoreConsent',
        type: 'boolean',
        default: false,
        description:
          'Whether to write Cognigy.AI profiles whose person asked that no data be collected (Prevent Data Collection). Off: such a profile is skipped with reason "consent" and never written.',
      },
      {
        displayName: 'Ledger File',
        name: 'ledgerFile',
        type: 'string',
        default: '',
        placeholder: '/home/node/.n8n/cx-profile-sync-ledger.sqlite',
        description:
          'An SQLite file (created if missing) that remembers what was written: a customer whose values did not change costs no request, and a known record is written directly. Its absolute path; empty: no ledger. The command line and the worker can share it.',
      },
      {
        displayName: 'Mapping (JSON)',
        name: 'mapping',
        type: 'json',
        default: '',
        description:
          'A mapping as the command line takes it: drop, rename, default and type rules per attribute, optionally per target',
      },
      {
        displayName: 'Verify',
        name: 'verify',
        type: 'boolean',
        default: false,
        description:
          'Whether to read the targets even when the ledger knows the customer, and rewrite what differs (repairs edits made on the targets). Without it, a record is read again after 7 days. Only with a Ledger File.',
      },
    ],
  },
];
