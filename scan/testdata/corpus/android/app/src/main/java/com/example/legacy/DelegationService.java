package com.example.legacy;

/** Delegates work to a thread pool; nothing to do with Auth0's delegation. */
public class DelegationService {
    public String delegation() {
        return "system:auth-delegator";
    }
}
