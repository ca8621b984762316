// The Genesys Cloud node's calls: the core's requests, sent with the "Genesys Cloud API" credential.
export { customerOfConversation, customersOfInterval, getExternalContact } from '../../../shared/genesys';
