// Our own delegation of work between queues: nothing to do with Auth0.
class DelegationService {
  getDelegationToken(jobId) {
    return `delegation:${jobId}`;
  }
}

const svc = new DelegationService();
svc.getDelegationToken('job-1');
module.exports = DelegationService;
