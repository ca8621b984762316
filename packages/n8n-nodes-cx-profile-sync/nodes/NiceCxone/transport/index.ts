// The NICE CXone node's calls: the core's requests, sent with the "NICE CXone API" credential.
export { N8nCxoneClient } from '../../../shared/cxone';
